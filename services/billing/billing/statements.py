"""A client's account: the payments kept from orders' events, its statement and the aged balance of all clients.
Each runs inside the caller's unit of work; the caller commits."""
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on, insert

from billing.domain.documents import issue_date
from billing.domain.statements import Entry, EntryKind
from billing.tables import CreditNote, Invoice, Issuer, Payment
from shared.db import UnitOfWork

METHODS = {"cash": "espèces", "cheque": "chèque", "transfer": "virement", "card": "carte", "holiday_voucher":
           "chèques-vacances"}


async def record_payment(uow: UnitOfWork, order_id: UUID, client_id: UUID, payment_id: UUID, amount: Decimal,
                         method: str, deferred: bool, at: datetime, version: int) -> None:
    """A payment, or its correction: the newest of the order's versions wins, a late one changes nothing."""
    stmt = insert(Payment).values(payment_id=payment_id, order_id=order_id, client_id=client_id, amount=amount,
                                  method=method, deferred=deferred, received_at=at, version=version)
    await uow.session.execute(stmt.on_conflict_do_update(
        index_elements=[Payment.payment_id],
        set_={"amount": stmt.excluded.amount, "version": stmt.excluded.version},
        where=Payment.version < stmt.excluded.version,
    ))


async def _documents(uow: UnitOfWork, client_id: UUID | None) -> tuple[list[Invoice], list[CreditNote]]:
    invoices, notes = select(Invoice), select(CreditNote)
    if client_id is not None:
        invoices, notes = invoices.where(Invoice.client_id == client_id), notes.where(CreditNote.client_id == client_id)
    return list(await uow.session.scalars(invoices)), list(await uow.session.scalars(notes))


def _day(at: datetime, seller: dict) -> date:
    return issue_date(at, ZoneInfo(seller.get("time_zone", "Europe/Paris")))


async def entries(uow: UnitOfWork, client_id: UUID | None, time_zone: ZoneInfo) -> dict[UUID, list[Entry]]:
    """Every client's (or one client's) invoices, credit notes and payments, as statement entries."""
    invoices, notes = await _documents(uow, client_id)
    payments = select(Payment).where(Payment.amount != 0)
    if client_id is not None:
        payments = payments.where(Payment.client_id == client_id)
    by_client: dict[UUID, list[Entry]] = defaultdict(list)
    for invoice in invoices:
        by_client[invoice.client_id].append(Entry(
            _day(invoice.issued_at, invoice.seller), EntryKind.INVOICE, invoice.reference,
            f"Facture {invoice.reference}" + (f" – commande {invoice.order_reference}" if invoice.order_reference
                                              else ""),
            invoice.order_id or invoice.id, debit=invoice.total, order=invoice.order_id))
    for note in notes:
        by_client[note.client_id].append(Entry(
            _day(note.issued_at, note.seller), EntryKind.CREDIT_NOTE, note.reference,
            f"Avoir {note.reference} sur la facture {note.invoice_reference}", note.order_id or note.invoice_id,
            credit=note.total, order=note.order_id))
    for payment in await uow.session.scalars(payments):
        by_client[payment.client_id].append(Entry(
            issue_date(payment.received_at, time_zone), EntryKind.PAYMENT, str(payment.payment_id)[:8],
            f"Règlement ({METHODS.get(payment.method, payment.method)}"
            + (", prise en charge" if payment.deferred else "") + ")",
            payment.order_id, credit=payment.amount, order=payment.order_id))
    return by_client


async def time_zone(uow: UnitOfWork) -> ZoneInfo:
    """The master entity's: the day of a payment, and of the statement's date."""
    settings = await uow.session.scalar(select(Issuer.mentions["settings"]["time_zone"].astext)
                                        .where(Issuer.is_master))
    return ZoneInfo(settings or "Europe/Paris")


async def buyer_names(uow: UnitOfWork, client_ids: list[UUID]) -> dict[UUID, str]:
    """Each client's name as its latest invoice prints it."""
    rows = await uow.session.execute(
        select(Invoice.client_id, Invoice.buyer["name"].astext).where(Invoice.client_id.in_(client_ids))
        .order_by(Invoice.client_id, Invoice.issued_at.desc()).ext(distinct_on(Invoice.client_id)))
    return {client_id: name for client_id, name in rows.all()}
