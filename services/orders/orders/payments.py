"""Payment use cases: record, change, delete, collect, batch; each keeps the order's covered amount and its
settled flag up to date. They run in the caller's unit of work; the caller commits."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from orders import services
from orders.domain import pricing
from orders.domain.dates import paris_date
from orders.domain.lifecycle import Status, can_take_payment
from orders.domain.payments import (
    DEFERRED_METHOD,
    BatchKind,
    Collection,
    Entry,
    Summary,
    check_amount_change,
    check_batch,
    check_editable,
    check_new,
    collect,
    initial_collection,
    summarise,
)
from orders.tables import Order, Payment, PaymentBatch, ThirdPartyPayer
from orders.travel_pack_flag import refresh_availability
from shared import events
from shared.db import UnitOfWork
from shared.problems import DomainError, NotFound, Problem


def entry_of(payment: Payment) -> Entry:
    return Entry(payment.amount, payment.method == DEFERRED_METHOD, Collection(payment.collection),
                 payment.participant_id)


async def payments_of(uow: UnitOfWork, order_id: UUID) -> list[Payment]:
    stmt = select(Payment).where(Payment.order_id == order_id).order_by(Payment.received_at, Payment.id)
    return list(await uow.session.scalars(stmt))


async def summary_of(uow: UnitOfWork, order: Order) -> Summary:
    return summarise(order.total, [entry_of(p) for p in await payments_of(uow, order.id)])


async def refresh_settlement(uow: UnitOfWork, order: Order, actor: str) -> Summary:
    """Recompute what the payments cover; when the settled flag changes, log it and announce it, and so may the
    travel pack available flag that depends on it."""
    await uow.session.flush()
    summary = await summary_of(uow, order)
    order.amount_paid = summary.covered
    if summary.settled != order.settled:
        order.settled = summary.settled
        detail = ("Commande soldée." if summary.settled
                  else f"Commande non soldée : {summary.balance} € restent dus par le client.")
        order.note("settled" if summary.settled else "unsettled", detail, actor)
        order.announce(events.OrderSettled(
            order_id=order.id, reference=order.reference, client_id=order.client_id, settled=summary.settled,
            total=order.total, amount_paid=summary.covered, balance=summary.balance,
            pending_collection=summary.pending_collection))
    await refresh_availability(uow, order, actor)
    return summary


@dataclass(frozen=True)
class Draft:
    amount: Decimal
    method: str
    note: str = ""
    label: str = ""
    bank: str = ""
    participant_id: UUID | None = None
    third_party_payer_id: UUID | None = None
    received_on: date | None = None
    provider_reference: str | None = None
    """The card payment provider's id of the payment, when its notification records it."""


async def _check_participant(order: Order, participant_id: UUID | None) -> None:
    if participant_id is not None and participant_id not in {p.participant_id for p in order.participants}:
        raise Problem(422, "unknown_participant", "Unknown participant",
                      f"Participant {participant_id} is not on order {order.reference}.")


async def _payer(uow: UnitOfWork, payer_id: UUID) -> ThirdPartyPayer:
    payer = await uow.session.get(ThirdPartyPayer, payer_id)
    if payer is None:
        raise Problem(422, "unknown_third_party_payer", "Unknown third-party payer",
                      f"No third-party payer with id {payer_id}.")
    if not payer.active:
        raise DomainError("third_party_payer_inactive", f"Le tiers payant {payer.name} n'est plus actif.")
    return payer


async def record_payment(uow: UnitOfWork, order_id: UUID, draft: Draft, actor: str) -> Payment:
    """Record an immediate payment or a deferred commitment; the first one validates an option."""
    order = await services.get_order(uow, order_id, lock=True)
    can_take_payment(Status(order.status))
    check_new(draft.method, draft.third_party_payer_id)
    await _check_participant(order, draft.participant_id)
    payer = await _payer(uow, draft.third_party_payer_id) if draft.third_party_payer_id else None
    pricing.check_payment(draft.amount, order.total, order.amount_paid)
    collection = initial_collection(draft.method)
    received_on = None if collection == Collection.PENDING else draft.received_on or paris_date(uow.clock.now())
    payment = Payment(
        order_id=order.id, amount=draft.amount, method=draft.method, note=draft.note, label=draft.label,
        bank=draft.bank, participant_id=draft.participant_id, third_party_payer_id=draft.third_party_payer_id,
        collection=collection, received_on=received_on, received_at=uow.clock.now(), recorded_by=actor,
        provider_reference=draft.provider_reference,
    )
    uow.session.add(payment)
    order.amount_paid = order.amount_paid + draft.amount
    await uow.session.flush()
    what = f"Prise en charge de {draft.amount} € par {payer.name}" if payer else \
        f"Règlement de {draft.amount} € ({draft.method})"
    if order.status != Status.VALIDATED:
        order.validate(f"{what} reçu : commande validée.", actor)
    else:
        order.note("payment", f"{what} enregistré.", actor)
    summary = await summary_of(uow, order)
    order.announce(events.PaymentRecorded(
        order_id=order.id, client_id=order.client_id, payment_id=payment.id, amount=draft.amount,
        method=draft.method, amount_paid=summary.covered, balance=summary.balance,
        deferred=draft.method == DEFERRED_METHOD, third_party_payer_id=draft.third_party_payer_id,
        participant_id=draft.participant_id, pending_collection=summary.pending_collection,
    ))
    await refresh_settlement(uow, order, actor)
    return payment


async def get_payment(uow: UnitOfWork, order_id: UUID, payment_id: UUID) -> Payment:
    payment = await uow.session.get(Payment, payment_id, with_for_update=True)
    if payment is None or payment.order_id != order_id:
        raise NotFound("payment", payment_id)
    return payment


async def _batch_kind(uow: UnitOfWork, payment: Payment) -> str | None:
    if payment.batch_id is None:
        return None
    return await uow.session.scalar(select(PaymentBatch.kind).where(PaymentBatch.id == payment.batch_id))


async def update_payment(uow: UnitOfWork, order_id: UUID, payment_id: UUID, changes: dict[str, Any],
                         actor: str) -> Payment:
    """Correct a payment's amount or details, unless a deposit, an export or a transfer holds it."""
    order = await services.get_order(uow, order_id, lock=True)
    payment = await get_payment(uow, order_id, payment_id)
    check_editable(await _batch_kind(uow, payment))
    if "participant_id" in changes:
        await _check_participant(order, changes["participant_id"])
    if "amount" in changes and entry_of(payment).counts:
        check_amount_change(payment.amount, changes["amount"], pricing.balance(order.total, order.amount_paid))
    for name, value in changes.items():
        setattr(payment, name, value)
    order.note("payment_changed",
               f"Règlement de {payment.amount} € ({payment.method}) modifié : {', '.join(changes)}.", actor)
    await _announce_correction(uow, order, payment, deleted=False)
    await refresh_settlement(uow, order, actor)
    return payment


async def delete_payment(uow: UnitOfWork, order_id: UUID, payment_id: UUID, actor: str) -> None:
    order = await services.get_order(uow, order_id, lock=True)
    payment = await get_payment(uow, order_id, payment_id)
    check_editable(await _batch_kind(uow, payment))
    await uow.session.delete(payment)
    order.note("payment_deleted", f"Règlement de {payment.amount} € ({payment.method}) supprimé.", actor)
    await _announce_correction(uow, order, payment, deleted=True)
    await refresh_settlement(uow, order, actor)


async def _announce_correction(uow: UnitOfWork, order: Order, payment: Payment, deleted: bool) -> None:
    """Tell others what now counts as paid, so that a client's balance elsewhere follows the correction."""
    await uow.session.flush()
    summary = await summary_of(uow, order)
    order.announce(events.PaymentCorrected(
        order_id=order.id, client_id=order.client_id, payment_id=payment.id, deleted=deleted, amount=payment.amount,
        amount_paid=summary.covered, balance=summary.balance, pending_collection=summary.pending_collection))


async def collect_commitment(uow: UnitOfWork, order_id: UUID, payment_id: UUID, outcome: Collection,
                             received_on: date | None, actor: str) -> Payment:
    """A third party paid its commitment (received) or will not (unpaid: the client owes it again); announced so that
    what other services count as paid follows."""
    order = await services.get_order(uow, order_id, lock=True)
    payment = await get_payment(uow, order_id, payment_id)
    before = entry_of(payment)
    payment.collection = collect(before, outcome)
    if not before.counts:  # an unpaid commitment paid late covers the order again: no more than it owes
        pricing.check_payment(payment.amount, order.total, order.amount_paid)
    payment.received_on = received_on or paris_date(uow.clock.now()) if outcome == Collection.RECEIVED else None
    detail = (f"Prise en charge de {payment.amount} € encaissée." if outcome == Collection.RECEIVED
              else f"Prise en charge de {payment.amount} € impayée par le tiers payant : le client la doit.")
    order.note(f"commitment_{outcome.value}", detail, actor)
    await uow.session.flush()
    summary = await summary_of(uow, order)
    order.announce(events.CommitmentCollected(
        order_id=order.id, client_id=order.client_id, payment_id=payment.id,
        third_party_payer_id=payment.third_party_payer_id, amount=payment.amount, outcome=outcome.value,
        received_on=payment.received_on, amount_paid=summary.covered, balance=summary.balance,
        pending_collection=summary.pending_collection))
    await refresh_settlement(uow, order, actor)
    return payment


async def create_batch(uow: UnitOfWork, kind: BatchKind, reference: str, bank: str, payment_ids: list[UUID],
                       actor: str) -> tuple[PaymentBatch, list[Payment]]:
    """Lock payments into a cheque deposit, an accounting export or a transfer."""
    stmt = select(Payment).where(Payment.id.in_(payment_ids)).order_by(Payment.id).with_for_update()
    payments = list(await uow.session.scalars(stmt))
    missing = set(payment_ids) - {p.id for p in payments}
    if missing:
        raise Problem(422, "unknown_payment", "Unknown payment",
                      f"No payment with id {', '.join(sorted(map(str, missing)))}.")
    check_batch(kind, [p.method for p in payments], [p.batch_id is not None for p in payments])
    batch = PaymentBatch(kind=kind, reference=reference, bank=bank, created_at=uow.clock.now(), created_by=actor,
                         total=sum((p.amount for p in payments), Decimal("0.00")))
    uow.session.add(batch)
    await uow.session.flush()
    for payment in payments:
        payment.batch_id = batch.id
    return batch, payments


async def batch_payments(uow: UnitOfWork, batch_id: UUID) -> tuple[PaymentBatch, list[Payment]]:
    batch = await uow.session.get(PaymentBatch, batch_id)
    if batch is None:
        raise NotFound("payment batch", batch_id)
    stmt = select(Payment).where(Payment.batch_id == batch_id).order_by(Payment.received_at, Payment.id)
    return batch, list(await uow.session.scalars(stmt))


async def payer_in_use(uow: UnitOfWork, payer_id: UUID) -> bool:
    used = await uow.session.scalar(select(func.count()).where(Payment.third_party_payer_id == payer_id))
    return bool(used)
