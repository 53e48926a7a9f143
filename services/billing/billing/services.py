"""Billing use cases. Each runs inside the caller's unit of work; the caller commits."""
import asyncio
from datetime import datetime
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from billing import issuers
from billing.domain.documents import (
    Kind,
    Snapshot,
    amount_line,
    cancellation_fee_line,
    cancellation_reason,
    check_credit,
    check_lines,
    credited_lines,
    issue_date,
    reference,
    remainder_lines,
    series_for,
)
from billing.domain.issuers import IssuerSettings, Seller
from billing.domain.vat import VatSummary, summarise, with_rates
from billing.issuers import Issuing
from billing.pdf import render_pdf
from billing.tables import CreditNote, Invoice, NumberSeries, OrderBilling
from shared.db import UnitOfWork
from shared.events import (
    Buyer,
    ClientDocumentIssued,
    CreditNoteIssued,
    DocumentRendered,
    InvoiceIssued,
    InvoiceLine,
    InvoicingRequested,
    OrderCancelled,
)
from shared.logging import log
from shared.problems import DomainError, NotFound

Document = Invoice | CreditNote
KINDS: dict[type[Document], Kind] = {Invoice: Kind.INVOICE, CreditNote: Kind.CREDIT_NOTE}


class SeriesYearChanged(RuntimeError):
    """The year turned while waiting for the series lock; the consumer retries in the new year's series."""


async def _take_number(uow: UnitOfWork, issuer: Issuing, kind: Kind) -> tuple[str, int, datetime]:
    """The next number of the issuer's series, under the series row lock held until the caller's commit.

    Issuance is serialised per series, and a rolled-back transaction gives its number back: gapless.
    The issue time is read once the lock is held, so numbers and dates go up together. Callers take the
    number last and flush nothing after it but at commit, to hold the lock for as few round trips as possible.
    """
    time_zone = issuer.seller.time_zone
    now = uow.clock.now()
    await issuers.check_open(uow, issuer, issue_date(now, time_zone))
    series = series_for(kind, now, time_zone, issuer.code)
    await uow.session.execute(insert(NumberSeries).values(series=series, last_number=0).on_conflict_do_nothing())
    number = (
        await uow.session.execute(
            update(NumberSeries)
            .where(NumberSeries.series == series)
            .values(last_number=NumberSeries.last_number + 1)
            .returning(NumberSeries.last_number)
        )
    ).scalar_one()
    issued_at = uow.clock.now()
    if series_for(kind, issued_at, time_zone, issuer.code) != series:
        raise SeriesYearChanged(f"{series} closed while waiting for its lock")
    return series, number, issued_at


def priced(issuer: Issuing, buyer: Buyer, lines: list[InvoiceLine]) -> tuple[list[InvoiceLine], VatSummary]:
    """The lines with their rates and the document's VAT totals, under the issuer's regime and the buyer's flags."""
    settings = issuer.settings
    rated = with_rates(lines, settings.vat_regime, settings.default_vat_rate)
    return rated, summarise(rated, settings.vat_regime, buyer, settings.prices_include_tax, settings.rounding)


async def _account(uow: UnitOfWork, order_id: UUID, client_id: UUID) -> OrderBilling:
    """The order's billing account, created if new, locked for the rest of the transaction."""
    await uow.session.execute(
        insert(OrderBilling).values(order_id=order_id, client_id=client_id, version=0).on_conflict_do_nothing()
    )
    return await uow.session.get_one(OrderBilling, order_id, with_for_update=True, populate_existing=True)


async def invoice_order(uow: UnitOfWork, demo: IssuerSettings | None, request: InvoicingRequested) -> None:
    """Issue the order's invoice, unless it already has one that no credit note has cancelled."""
    account = await _account(uow, request.order_id, request.buyer.client_id)
    if account.current_invoice_id is not None:
        log.info("billing.already_invoiced", order_id=str(request.order_id))
        _announce(uow, account, await uow.session.get_one(Invoice, account.current_invoice_id), repeated=True)
        return
    issuer = await issuers.issuer_for(uow, request.organiser_id, demo)
    await _issue_invoice(uow, issuer, account, request.order_reference, request.buyer, request.lines, request.total,
                         request.amount_paid, "order")


async def _issue_invoice(uow: UnitOfWork, issuer: Issuing, account: OrderBilling | None, order_reference: str | None,
                         buyer: Buyer, lines: list[InvoiceLine], total: Decimal | None, amount_paid: Decimal,
                         kind: str) -> Invoice:
    """Number and store an invoice; an order's invoice becomes the account's current one, a cancellation
    invoice does not (nothing is left to un-invoice on a cancelled order), a service invoice has no order."""
    check_lines(lines, total if total is not None else sum((line.amount for line in lines), Decimal("0.00")))
    rated, vat = priced(issuer, buyer, lines)
    series, number, issued_at = await _take_number(uow, issuer, Kind.INVOICE)
    invoice = Invoice(
        id=uuid4(), series=series, number=number, reference=reference(series, number), issuer_id=issuer.issuer_id,
        order_id=account.order_id if account else None, order_reference=order_reference, client_id=buyer.client_id,
        buyer=buyer.model_dump(mode="json"), seller=issuer.seller.model_dump(mode="json"),
        lines=[line.model_dump(mode="json") for line in rated], total=vat.total_incl_tax,
        vat=vat.model_dump(mode="json"), amount_paid=amount_paid, issued_at=issued_at,
        kind=kind,
    )
    uow.session.add(invoice)
    if account is None:
        _announce_outside_order(uow, invoice)
        return invoice
    if kind == "order":
        account.current_invoice_id = invoice.id
    _announce(uow, account, invoice)
    return invoice


def _announce(uow: UnitOfWork, account: OrderBilling, invoice: Invoice, repeated: bool = False) -> None:
    account.version += 1
    uow.emit(
        InvoiceIssued(
            order_id=invoice.order_id, client_id=invoice.client_id, invoiced=account.current_invoice_id is not None,
            current_invoice_id=account.current_invoice_id, invoice_id=invoice.id, number=invoice.number,
            reference=invoice.reference, total=invoice.total, issued_at=invoice.issued_at, kind=invoice.kind,
            repeated=repeated,
        ),
        invoice.order_id,
        account.version,
    )


def _announce_outside_order(uow: UnitOfWork, document: Document) -> None:
    is_invoice = isinstance(document, Invoice)
    uow.emit(
        ClientDocumentIssued(
            document_id=document.id, kind=KINDS[type(document)].value, client_id=document.client_id,
            order_id=document.order_id, invoice_id=None if is_invoice else document.invoice_id,
            reference=document.reference, total=document.total, issued_at=document.issued_at,
        ),
        document.id,
        1,
    )


async def invoice_services(uow: UnitOfWork, demo: IssuerSettings | None, issuer_id: UUID | None, buyer: Buyer,
                           lines: list[InvoiceLine]) -> Invoice:
    """A service invoice: services sold outside a stay, to a client without an order."""
    issuer = issuers.issuing(await issuers.get_issuer(uow, issuer_id)) if issuer_id else \
        await issuers.issuer_for(uow, None, demo)
    return await _issue_invoice(uow, issuer, None, None, buyer, lines, None, Decimal("0.00"), "service")


async def cancel_order(uow: UnitOfWork, demo: IssuerSettings | None, event: OrderCancelled) -> None:
    """A cancelled order: a credit note cancels its current invoice, then a cancellation invoice bills the
    client's fees (in the invoices' own series). A never-invoiced order gets only the cancellation invoice;
    an organiser's cancellation has no fees, so only the credit note."""
    await credit_current_invoice(uow, demo, event.order_id, cancellation_reason(event.reference,
                                                                                event.cancellation_reason))
    if event.cancellation_fees <= 0:
        return
    if event.buyer is None:
        log.warning("billing.cancellation_without_buyer", order_id=str(event.order_id))
        return
    account = await _account(uow, event.order_id, event.client_id)
    line = cancellation_fee_line(event.reference, event.fee_percent, event.days_before_departure,
                                 event.cancellation_fees)
    paid = min(event.amount_received, event.cancellation_fees)
    issuer = await issuers.issuer_for(uow, None, demo)
    await _issue_invoice(uow, issuer, account, event.reference, event.buyer, [line], event.cancellation_fees, paid,
                         "cancellation")


async def _issuer_of(uow: UnitOfWork, invoice: Invoice, demo: IssuerSettings | None) -> Issuing:
    """A credit note is issued by its invoice's issuer (the master entity for invoices from before issuers)."""
    if invoice.issuer_id is not None:
        return issuers.issuing(await issuers.get_issuer(uow, invoice.issuer_id))
    return await issuers.issuer_for(uow, None, demo)


async def _credited(uow: UnitOfWork, invoice: Invoice) -> list[CreditNote]:
    return list(await uow.session.scalars(select(CreditNote).where(CreditNote.invoice_id == invoice.id)))


def _credit_vat(invoice: Invoice, lines: list[InvoiceLine]) -> VatSummary | None:
    """A credit note follows its invoice's VAT treatment, whatever the issuer's settings became since."""
    if invoice.vat is None:
        return None
    vat = VatSummary.model_validate(invoice.vat)
    return summarise(lines, vat.regime, Buyer.model_validate(invoice.buyer), vat.prices_include_tax, vat.rounding)


async def _issue_credit_note(uow: UnitOfWork, demo: IssuerSettings | None, invoice: Invoice,
                             lines: list[InvoiceLine], reason: str) -> CreditNote:
    previous = await _credited(uow, invoice)
    vat = _credit_vat(invoice, lines)
    total = vat.total_incl_tax if vat else sum((line.amount for line in lines), Decimal("0.00"))
    check_credit(invoice.total, sum((note.total for note in previous), Decimal("0.00")), total)
    issuer = await _issuer_of(uow, invoice, demo)
    series, number, issued_at = await _take_number(uow, issuer, Kind.CREDIT_NOTE)
    note = CreditNote(
        id=uuid4(), series=series, number=number, reference=reference(series, number), issuer_id=issuer.issuer_id,
        order_id=invoice.order_id, order_reference=invoice.order_reference, client_id=invoice.client_id,
        buyer=invoice.buyer, seller=issuer.seller.model_dump(mode="json"),
        lines=[line.model_dump(mode="json") for line in lines], total=total,
        vat=vat.model_dump(mode="json") if vat else None, issued_at=issued_at, invoice_id=invoice.id,
        invoice_reference=invoice.reference, reason=reason,
    )
    uow.session.add(note)
    return note


async def credit_current_invoice(uow: UnitOfWork, demo: IssuerSettings | None, order_id: UUID, reason: str) -> None:
    """Cancel the order's current invoice with a credit note for what is left of it; nothing if not invoiced."""
    account = await uow.session.get(OrderBilling, order_id, with_for_update=True, populate_existing=True)
    if account is None or account.current_invoice_id is None:
        log.info("billing.not_invoiced", order_id=str(order_id))
        return
    invoice = await uow.session.get_one(Invoice, account.current_invoice_id, with_for_update=True)
    lines = [InvoiceLine.model_validate(line) for line in invoice.lines]
    previous = await _credited(uow, invoice)
    if previous:
        lines = remainder_lines(invoice.reference, lines,
                                [InvoiceLine.model_validate(line) for note in previous for line in note.lines])
    note = await _issue_credit_note(uow, demo, invoice, lines, reason)
    account.current_invoice_id = None
    account.version += 1
    uow.emit(
        CreditNoteIssued(
            order_id=note.order_id, client_id=note.client_id, invoiced=False, current_invoice_id=None,
            credit_note_id=note.id, number=note.number, reference=note.reference, invoice_id=invoice.id,
            invoice_reference=invoice.reference, total=note.total, reason=reason, issued_at=note.issued_at,
        ),
        note.order_id,
        account.version,
    )


async def credit_part(uow: UnitOfWork, demo: IssuerSettings | None, invoice_id: UUID, picks: list[tuple[int, int]],
                      amount: Decimal | None, vat_rate: Decimal | None, reason: str) -> CreditNote:
    """A partial credit note: some lines of the invoice (each for some of its quantity), or an amount. The order
    stays invoiced."""
    invoice = await get_document(uow, Invoice, invoice_id, lock=True)
    invoice_lines = [InvoiceLine.model_validate(line) for line in invoice.lines]
    if amount is not None:
        rates = {line.vat_rate for line in invoice_lines}
        if vat_rate is None and len(rates) > 1:
            raise DomainError("vat_rate_needed", f"The invoice has several VAT rates ({sorted(rates)}): say which one "
                                                 "the amount is credited at.")
        if vat_rate is not None and vat_rate not in rates:
            raise DomainError("vat_rate_not_on_invoice", f"The invoice has no line at {vat_rate} %.")
        lines = [amount_line(invoice.reference, amount, vat_rate if vat_rate is not None else rates.pop(), None)]
    else:
        lines = credited_lines(invoice_lines, picks)
    note = await _issue_credit_note(uow, demo, invoice, lines, reason)
    _announce_outside_order(uow, note)
    return note


def snapshot_of(document: Document) -> Snapshot:
    is_invoice = isinstance(document, Invoice)
    return Snapshot(
        kind=KINDS[type(document)],
        reference=document.reference,
        issued_at=document.issued_at,
        order_reference=document.order_reference,
        seller=Seller.model_validate(document.seller),
        buyer=Buyer.model_validate(document.buyer),
        lines=[InvoiceLine.model_validate(line) for line in document.lines],
        total=document.total,
        amount_paid=document.amount_paid if is_invoice else None,
        invoice_reference=None if is_invoice else document.invoice_reference,
        reason=None if is_invoice else document.reason,
        cancellation=is_invoice and document.kind == "cancellation",
        vat=VatSummary.model_validate(document.vat) if document.vat else None,
    )


async def get_document(uow: UnitOfWork, table: type[Document], document_id: UUID, lock: bool = False) -> Document:
    """`lock`: serialises the credit notes of one invoice, so that together they never exceed it."""
    document = await uow.session.get(table, document_id, with_for_update=lock)
    if document is None:
        raise NotFound(KINDS[table].replace("_", " "), document_id)
    return document


async def pdf_of(uow: UnitOfWork, document: Document) -> bytes:
    """The stored PDF, rendered and stored now if the background rendering has not done it yet."""
    table = type(document)
    stored = await uow.session.scalar(select(table.pdf).where(table.id == document.id))
    return stored if stored is not None else await render_document(uow, document)


async def render_document(uow: UnitOfWork, document: Document) -> bytes:
    """Render off the event loop and store; the first to store announces it, a concurrent render is identical."""
    pdf = await asyncio.to_thread(render_pdf, snapshot_of(document))
    table = type(document)
    stored = await uow.session.execute(
        update(table)
        .where(table.id == document.id, table.pdf.is_(None))
        .values(pdf=pdf, rendered_at=uow.clock.now())
        .returning(table.id)
    )
    if stored.first() is not None:
        uow.emit(
            DocumentRendered(document_id=document.id, kind=KINDS[table].value, reference=document.reference,
                             order_id=document.order_id, client_id=document.client_id),
            document.id,
            1,
        )
    return pdf


async def render_if_needed(uow: UnitOfWork, table: type[Document], document_id: UUID) -> None:
    document = await get_document(uow, table, document_id)
    if document.rendered_at is not None:
        log.info("billing.already_rendered", reference=document.reference)
        return
    await render_document(uow, document)
