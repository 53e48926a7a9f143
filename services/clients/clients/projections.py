"""What the clients service knows of other services' records about a client, kept from their events.

Orders' lifecycle events give each order's status, total and amount paid (order history, deletion
guard, payments); billing's events give the invoices and credit notes issued (deletion guard,
balance). Every write is an upsert that keeps the newest order version seen per field, so that
duplicates and any delivery order leave the same rows.

The balance of a client is `invoiced - credited - paid`: the totals of its invoices, minus those of
its credit notes, minus what it has paid on its orders (a third party's commitment counts until it is
declared unpaid). Positive, the client owes the organiser;
negative, the organiser owes the client (a payment not yet invoiced, an invoice credited after
payment). Erasure needs it to be exactly zero.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import Uuid, any_, case, func, literal, select
from sqlalchemy.dialects.postgresql import insert

from clients.tables import BillingDocument, OrderRecord
from shared.db import UnitOfWork
from shared.events import (
    CommitmentCollected,
    CreditNoteIssued,
    InvoiceIssued,
    OrderState,
    PaymentCorrected,
    PaymentRecorded,
)
from shared.money import Money
from shared.pagination import keyset_page

ZERO = Decimal("0.00")
NOT_BOOKED = ("refused",)
"""An order stock refused never was a booking: it counts in no order history (it still guards deletion)."""


@dataclass(frozen=True)
class Balance:
    invoiced: Money
    credited: Money
    paid: Money

    @property
    def balance(self) -> Money:
        return self.invoiced - self.credited - self.paid


@dataclass(frozen=True)
class OrderHistory:
    orders: int
    spent: Money
    """Total of the client's validated orders."""
    last_ordered_at: datetime | None


def _newest(column: str, version: str) -> object:
    """The stored value unless the incoming row comes from an order version at least as new."""
    table = OrderRecord.__table__
    excluded = insert(OrderRecord).excluded
    return case((excluded[version] >= table.c[version], excluded[column]), else_=table.c[column])


async def record_order(uow: UnitOfWork, order: OrderState, version: int, occurred_at: datetime) -> None:
    stmt = insert(OrderRecord).values(
        order_id=order.order_id, client_id=order.client_id, reference=order.reference, status=order.status,
        total=order.total, amount_paid=order.amount_paid, participant_ids=order.participant_ids,
        placed_at=occurred_at, state_version=version, paid_version=version,
    )
    await uow.session.execute(stmt.on_conflict_do_update(
        index_elements=[OrderRecord.order_id],
        set_={
            **{name: _newest(name, "state_version") for name in ("reference", "status", "total", "participant_ids")},
            "amount_paid": _newest("amount_paid", "paid_version"),
            "state_version": func.greatest(OrderRecord.state_version, stmt.excluded.state_version),
            "paid_version": func.greatest(OrderRecord.paid_version, stmt.excluded.paid_version),
            "placed_at": func.least(OrderRecord.placed_at, stmt.excluded.placed_at),
        },
    ))


async def record_payment(uow: UnitOfWork, payment: PaymentRecorded | CommitmentCollected | PaymentCorrected,
                         version: int,
                         occurred_at: datetime) -> None:
    """The order's amount paid after a payment, or after a third party's commitment was collected or declared
    unpaid (then no longer counted as paid). A payment seen before any event of its order makes a row whose
    status version 0 every lifecycle event overrides."""
    stmt = insert(OrderRecord).values(
        order_id=payment.order_id, client_id=payment.client_id, reference="", status="pending", total=ZERO,
        amount_paid=payment.amount_paid, participant_ids=[], placed_at=occurred_at, state_version=0,
        paid_version=version,
    )
    await uow.session.execute(stmt.on_conflict_do_update(
        index_elements=[OrderRecord.order_id],
        set_={
            "amount_paid": _newest("amount_paid", "paid_version"),
            "paid_version": func.greatest(OrderRecord.paid_version, stmt.excluded.paid_version),
            "placed_at": func.least(OrderRecord.placed_at, stmt.excluded.placed_at),
        },
    ))


async def record_document(uow: UnitOfWork, document: InvoiceIssued | CreditNoteIssued) -> None:
    """An issued document never changes: the first delivery stores it, any other is a no-op."""
    if isinstance(document, InvoiceIssued):
        document_id, kind = document.invoice_id, "invoice"
    else:
        document_id, kind = document.credit_note_id, "credit_note"
    await uow.session.execute(insert(BillingDocument).values(
        document_id=document_id, client_id=document.client_id, order_id=document.order_id, kind=kind,
        reference=document.reference, total=document.total, issued_at=document.issued_at,
    ).on_conflict_do_nothing())


async def balance_of(uow: UnitOfWork, client_id: UUID) -> Balance:
    documents = (await uow.session.execute(
        select(BillingDocument.kind, func.sum(BillingDocument.total))
        .where(BillingDocument.client_id == client_id).group_by(BillingDocument.kind)
    )).all()
    totals = {kind: total for kind, total in documents}
    paid = await uow.session.scalar(
        select(func.coalesce(func.sum(OrderRecord.amount_paid), ZERO)).where(OrderRecord.client_id == client_id))
    return Balance(invoiced=totals.get("invoice", ZERO), credited=totals.get("credit_note", ZERO), paid=paid)


async def history_of(uow: UnitOfWork, client_id: UUID) -> OrderHistory:
    orders, spent, last = (await uow.session.execute(
        select(func.count(), func.coalesce(func.sum(OrderRecord.total).filter(OrderRecord.status == "validated"),
                                           ZERO), func.max(OrderRecord.placed_at))
        .where(OrderRecord.client_id == client_id, OrderRecord.status.not_in(NOT_BOOKED))
    )).one()
    return OrderHistory(orders=orders, spent=spent, last_ordered_at=last)


async def records_held(uow: UnitOfWork, client_id: UUID) -> tuple[int, int]:
    """How many orders (of any status) and billing documents other services hold for the client."""
    orders = await uow.session.scalar(select(func.count()).where(OrderRecord.client_id == client_id))
    documents = await uow.session.scalar(select(func.count()).where(BillingDocument.client_id == client_id))
    return orders or 0, documents or 0


async def list_orders(uow: UnitOfWork, client_id: UUID, participant_id: UUID | None, limit: int, cursor: str | None
                      ) -> tuple[list[OrderRecord], str | None]:
    """The client's orders, or those a participant of it went on: the participant's order history."""
    stmt = select(OrderRecord).where(OrderRecord.client_id == client_id)
    if participant_id is not None:
        stmt = stmt.where(literal(participant_id, Uuid) == any_(OrderRecord.participant_ids))
    return await keyset_page(uow.session, stmt, OrderRecord.placed_at, OrderRecord.order_id, limit, cursor)
