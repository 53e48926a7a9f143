"""The accounting entries of an issuer's fiscal year: its invoices and credit notes, and the payments of the orders
it invoiced (the master entity's also take the payments of orders not invoiced yet)."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select

from billing import issuers
from billing.domain.accounting import JournalEntry, RateAmounts, payment_entry, sales_entry
from billing.domain.documents import issue_date
from billing.domain.issuers import FiscalCalendar
from billing.domain.vat import VatSummary
from billing.statements import METHODS
from billing.tables import CreditNote, Invoice, Payment
from shared.db import UnitOfWork
from shared.problems import DomainError


def customer_account(client_id: UUID) -> str:
    """A client's auxiliary account: stable, short, unique enough to find it."""
    return f"C{client_id.hex[:8].upper()}"


def _amounts(document: Invoice | CreditNote) -> list[RateAmounts]:
    if document.vat is None:
        return [RateAmounts(None, document.total, Decimal("0.00"))]
    vat = VatSummary.model_validate(document.vat)
    if not vat.rates:
        return [RateAmounts(None, vat.total_excl_tax, Decimal("0.00"))]
    return [RateAmounts(r.rate, r.base, r.vat) for r in vat.rates]


async def fiscal_year_entries(uow: UnitOfWork, issuer_id: UUID, starts_on: date
                              ) -> tuple[list[JournalEntry], date, str]:
    """The year's entries, its last day and the issuer's SIREN (the FEC's name)."""
    issuer = await issuers.get_issuer(uow, issuer_id)
    settings = issuers.settings_of(issuer)
    calendar: FiscalCalendar = settings.calendar
    start, end = calendar.year_of(starts_on)
    if start != starts_on:
        raise DomainError("not_a_fiscal_year", f"No fiscal year starts on {starts_on.isoformat()}; the one holding "
                                               f"it starts on {start.isoformat()}.")
    zone, chart = ZoneInfo(settings.time_zone), settings.chart
    since = datetime.combine(start, datetime.min.time(), zone)
    until = datetime.combine(end + timedelta(days=1), datetime.min.time(), zone)
    entries: list[JournalEntry] = []
    invoices = list(await uow.session.scalars(select(Invoice).where(
        Invoice.issuer_id == issuer_id if not issuer.is_master else
        (Invoice.issuer_id == issuer_id) | Invoice.issuer_id.is_(None),
        Invoice.issued_at >= since, Invoice.issued_at < until)))
    for invoice in invoices:
        name = invoice.buyer["name"]
        entries.append(sales_entry(chart, issue_date(invoice.issued_at, zone), invoice.reference,
                                   f"Facture {invoice.reference} {name}", customer_account(invoice.client_id), name,
                                   invoice.total, _amounts(invoice), credit_note=False))
    notes = await uow.session.scalars(select(CreditNote).where(
        CreditNote.issuer_id == issuer_id if not issuer.is_master else
        (CreditNote.issuer_id == issuer_id) | CreditNote.issuer_id.is_(None),
        CreditNote.issued_at >= since, CreditNote.issued_at < until))
    for note in notes:
        name = note.buyer["name"]
        entries.append(sales_entry(chart, issue_date(note.issued_at, zone), note.reference,
                                   f"Avoir {note.reference} {name}", customer_account(note.client_id), name,
                                   note.total, _amounts(note), credit_note=True))
    others = select(Invoice.order_id).where(Invoice.issuer_id != issuer_id, Invoice.order_id.is_not(None))
    ours = select(Invoice.order_id).where(Invoice.issuer_id == issuer_id, Invoice.order_id.is_not(None))
    payments = select(Payment).where(Payment.amount != 0, Payment.received_at >= since, Payment.received_at < until,
                                     Payment.order_id.not_in(others) if issuer.is_master
                                     else Payment.order_id.in_(ours))
    names = {invoice.client_id: invoice.buyer["name"] for invoice in invoices}
    for payment in await uow.session.scalars(payments):
        name = names.get(payment.client_id, "")
        entries.append(payment_entry(chart, issue_date(payment.received_at, zone), f"R{payment.payment_id.hex[:8]}",
                                     f"Règlement {METHODS.get(payment.method, payment.method)} {name}".strip(),
                                     customer_account(payment.client_id), name, payment.amount, payment.method,
                                     payment.deferred))
    return entries, end, settings.siret.replace(" ", "")[:9]
