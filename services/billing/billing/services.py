"""Billing use cases. Each runs inside the caller's unit of work; the caller commits."""
import asyncio
from datetime import datetime
from decimal import Decimal
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from billing.domain.documents import (
    Kind,
    Seller,
    Snapshot,
    cancellation_fee_line,
    cancellation_reason,
    check_lines,
    reference,
    series_for,
)
from billing.pdf import render_pdf
from billing.tables import CreditNote, Invoice, NumberSeries, OrderBilling
from shared.db import UnitOfWork
from shared.events import (
    Buyer,
    CreditNoteIssued,
    DocumentRendered,
    InvoiceIssued,
    InvoiceLine,
    InvoicingRequested,
    OrderCancelled,
)
from shared.logging import log
from shared.problems import NotFound

Document = Invoice | CreditNote
KINDS: dict[type[Document], Kind] = {Invoice: Kind.INVOICE, CreditNote: Kind.CREDIT_NOTE}


class SeriesYearChanged(RuntimeError):
    """The year turned while waiting for the series lock; the consumer retries in the new year's series."""


async def _take_number(uow: UnitOfWork, kind: Kind, time_zone: ZoneInfo) -> tuple[str, int, datetime]:
    """The next number of the series, under the series row lock held until the caller's commit.

    Issuance is serialised per series, and a rolled-back transaction gives its number back: gapless.
    The issue time is read once the lock is held, so numbers and dates go up together. Callers take the
    number last and flush nothing after it but at commit, to hold the lock for as few round trips as possible.
    """
    series = series_for(kind, uow.clock.now(), time_zone)
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
    if series_for(kind, issued_at, time_zone) != series:
        raise SeriesYearChanged(f"{series} closed while waiting for its lock")
    return series, number, issued_at


async def _account(uow: UnitOfWork, order_id: UUID, client_id: UUID) -> OrderBilling:
    """The order's billing account, created if new, locked for the rest of the transaction."""
    await uow.session.execute(
        insert(OrderBilling).values(order_id=order_id, client_id=client_id, version=0).on_conflict_do_nothing()
    )
    return await uow.session.get_one(OrderBilling, order_id, with_for_update=True, populate_existing=True)


async def invoice_order(uow: UnitOfWork, seller: Seller, request: InvoicingRequested) -> None:
    """Issue the order's invoice, unless it already has one that no credit note has cancelled."""
    account = await _account(uow, request.order_id, request.buyer.client_id)
    if account.current_invoice_id is not None:
        log.info("billing.already_invoiced", order_id=str(request.order_id))
        _announce(uow, account, await uow.session.get_one(Invoice, account.current_invoice_id), repeated=True)
        return
    await _issue_invoice(uow, seller, account, request.order_reference, request.buyer, request.lines, request.total,
                         request.amount_paid, "order")


async def _issue_invoice(uow: UnitOfWork, seller: Seller, account: OrderBilling, order_reference: str, buyer: Buyer,
                         lines: list[InvoiceLine], total: Decimal, amount_paid: Decimal, kind: str) -> Invoice:
    """Number and store an invoice; an order's invoice becomes the account's current one, a cancellation
    invoice does not (nothing is left to un-invoice on a cancelled order)."""
    check_lines(lines, total)
    series, number, issued_at = await _take_number(uow, Kind.INVOICE, seller.time_zone)
    invoice = Invoice(
        id=uuid4(), series=series, number=number, reference=reference(series, number), order_id=account.order_id,
        order_reference=order_reference, client_id=buyer.client_id, buyer=buyer.model_dump(mode="json"),
        seller=seller.model_dump(mode="json"), lines=[line.model_dump(mode="json") for line in lines], total=total,
        amount_paid=amount_paid, issued_at=issued_at, kind=kind,
    )
    uow.session.add(invoice)
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


async def cancel_order(uow: UnitOfWork, seller: Seller, event: OrderCancelled) -> None:
    """A cancelled order: a credit note cancels its current invoice, then a cancellation invoice bills the
    client's fees (in the invoices' own series). A never-invoiced order gets only the cancellation invoice;
    an organiser's cancellation has no fees, so only the credit note."""
    await credit_current_invoice(uow, seller, event.order_id, cancellation_reason(event.reference,
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
    await _issue_invoice(uow, seller, account, event.reference, event.buyer, [line], event.cancellation_fees, paid,
                         "cancellation")


async def credit_current_invoice(uow: UnitOfWork, seller: Seller, order_id: UUID, reason: str) -> None:
    """Cancel the order's current invoice with a credit note for its full amount; nothing if not invoiced."""
    account = await uow.session.get(OrderBilling, order_id, with_for_update=True, populate_existing=True)
    if account is None or account.current_invoice_id is None:
        log.info("billing.not_invoiced", order_id=str(order_id))
        return
    invoice = await uow.session.get_one(Invoice, account.current_invoice_id)
    series, number, issued_at = await _take_number(uow, Kind.CREDIT_NOTE, seller.time_zone)
    note = CreditNote(
        id=uuid4(), series=series, number=number, reference=reference(series, number), order_id=invoice.order_id,
        order_reference=invoice.order_reference, client_id=invoice.client_id, buyer=invoice.buyer,
        seller=seller.model_dump(mode="json"), lines=invoice.lines, total=invoice.total, issued_at=issued_at,
        invoice_id=invoice.id, invoice_reference=invoice.reference, reason=reason,
    )
    uow.session.add(note)
    account.current_invoice_id = None
    account.version += 1
    uow.emit(
        CreditNoteIssued(
            order_id=note.order_id, client_id=note.client_id, invoiced=False, current_invoice_id=None,
            credit_note_id=note.id, number=number, reference=note.reference, invoice_id=invoice.id,
            invoice_reference=invoice.reference, total=note.total, reason=reason, issued_at=issued_at,
        ),
        note.order_id,
        account.version,
    )


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
    )


async def get_document(uow: UnitOfWork, table: type[Document], document_id: UUID) -> Document:
    document = await uow.session.get(table, document_id)
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
