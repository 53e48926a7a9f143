"""Card payments on the provider's hosted page: opening a session for the deposit or the balance, and applying the
provider's signed notifications, the only way such a payment is recorded (through `payments.record_payment`, so
that validation, the settled flag and the events follow as for any payment)."""
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from orders import payments, services
from orders.domain.lifecycle import Status
from orders.domain.online_payment import LABELS, Purpose, SessionStatus, amount_due, status_after
from orders.stripe_checkout import CheckoutRequest, Notification, StripeCheckout
from orders.tables import Order, Payment, PaymentSession, ProviderEvent
from shared.db import UnitOfWork
from shared.logging import log
from shared.problems import DomainError, NotFound

ACTOR = "stripe"
"""Who records a card payment in the workflow log: the provider's notification."""


@dataclass(frozen=True)
class Portal:
    """Where the hosted page sends the family back: the family portal's page of the order."""

    url: str

    def success(self, order_id: UUID) -> str:
        return f"{self.url}/commandes/{order_id}/paiement?session_id={{CHECKOUT_SESSION_ID}}"

    def cancel(self, order_id: UUID) -> str:
        return f"{self.url}/commandes/{order_id}?paiement=abandonne"


async def open_session(uow: UnitOfWork, checkout: StripeCheckout, order: Order, purpose: Purpose, portal: Portal,
                       actor: str, key: str | None) -> PaymentSession:
    """Ask the provider for a hosted page for what `purpose` asks now, outside any transaction, then keep it. A
    retry with the same key gets the provider's same session back."""
    summary = await payments.summary_of(uow, order)
    amount = amount_due(purpose, Status(order.status), order.total, summary.covered,
                        order.terms.deposit_amount if order.terms else None)
    request = CheckoutRequest(
        order_id=order.id, reference=order.reference, purpose=purpose.value, amount=amount,
        description=f"{LABELS[purpose]} : {order.stay_title} ({order.reference})",
        customer_email=order.buyer.get("email"), success_url=portal.success(order.id),
        cancel_url=portal.cancel(order.id),
        idempotency_key=f"colo-orders:{order.id}:{purpose.value}:{key}" if key else None)
    await uow.rollback()
    session = await checkout.create(request)
    now = uow.clock.now()
    await uow.session.execute(insert(PaymentSession).values(
        id=session.id, order_id=request.order_id, purpose=purpose.value, amount=session.amount,
        status=SessionStatus.OPEN.value, url=session.url or "", created_by=actor, created_at=now, updated_at=now,
    ).on_conflict_do_nothing())
    await uow.commit()
    return await get_session(uow, request.order_id, session.id)


async def get_session(uow: UnitOfWork, order_id: UUID, session_id: str) -> PaymentSession:
    session = await uow.session.get(PaymentSession, session_id)
    if session is None or session.order_id != order_id:
        raise NotFound("payment session", session_id)
    return session


async def apply_notification(uow: UnitOfWork, notification: Notification) -> str:
    """Apply one of the provider's notifications once, whatever the number of deliveries: the event's id is kept in
    the same transaction as its effects, and a payment's id is recorded once. What it did, for the log."""
    first = await uow.session.execute(insert(ProviderEvent).values(
        id=notification.event_id, type=notification.type, received_at=uow.clock.now(),
    ).on_conflict_do_nothing().returning(ProviderEvent.id))
    if first.first() is None:
        return "duplicate"
    if notification.session is None:
        return "ignored"
    session = await uow.session.get(PaymentSession, notification.session.id, with_for_update=True)
    if session is None:
        log.warning("orders.card_session_unknown", session_id=notification.session.id, event=notification.type)
        return "unknown_session"
    before = SessionStatus(session.status)
    after = status_after(before, notification.type, notification.session.payment_status == "paid")
    if after == before:
        return "unchanged"
    session.updated_at = uow.clock.now()
    session.status = after.value
    if after == SessionStatus.PAID:
        await _record(uow, session, notification)
    return session.status


async def _record(uow: UnitOfWork, session: PaymentSession, notification: Notification) -> None:
    """The card payment on the order; money the order can no longer take is kept on the session to be refunded."""
    paid = notification.session
    assert paid is not None
    session.provider_payment_id = paid.payment_id
    recorded = await uow.session.scalar(select(Payment.id).where(Payment.provider_reference == paid.payment_id))
    if recorded is not None:
        return
    try:
        if paid.currency != "eur":
            raise DomainError("currency_refused", f"Paiement en {paid.currency.upper()} : seuls les euros sont reçus.")
        await payments.record_payment(uow, session.order_id, payments.Draft(
            amount=paid.amount, method="card", note=f"Paiement en ligne : {LABELS[Purpose(session.purpose)].lower()}.",
            provider_reference=paid.payment_id), ACTOR)
    except DomainError as refusal:
        session.status, session.refusal = SessionStatus.UNAPPLIED.value, refusal.message
        order = await services.get_order(uow, session.order_id, lock=True)
        services._log(uow, order, "card_payment_unapplied",
                      f"Paiement en ligne de {paid.amount} € reçu ({paid.payment_id}) mais non enregistré : "
                      f"{refusal.message} À rembourser au client.", ACTOR)
        log.error("orders.card_payment_unapplied", order=order.reference, session_id=session.id,
                  payment_id=paid.payment_id, amount=str(paid.amount), reason=refusal.message)
