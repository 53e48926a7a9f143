"""HTTP routes of card payments online: a family (or staff for it) opens the provider's hosted page for the deposit or
the balance; the provider's signed notification, on a public route, is what records the payment."""
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from orders import card_payments, services
from orders.access import FAMILY_ROUTE, FamilyCaller, check_access
from orders.card_payments import Portal
from orders.domain.online_payment import Purpose, SessionStatus
from orders.snapshot import Snapshot
from orders.stripe_checkout import InvalidNotification, StripeCheckout
from orders.tables import PaymentSession
from shared.app import UoW
from shared.idempotency import IdempotencyKey
from shared.logging import log
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.problems import Problem

router = APIRouter(tags=["card payments"])


def checkout_of(request: Request) -> StripeCheckout:
    checkout = request.app.state.checkout
    if checkout is None:
        raise Problem(409, "online_payments_disabled", "Action refused",
                      "Le paiement en ligne n'est pas proposé : réglez par un autre moyen (COLO_ONLINE_PAYMENTS).")
    return checkout


Checkout = Annotated[StripeCheckout, Depends(checkout_of)]


class PaymentSessionIn(BaseModel):
    purpose: Purpose = Field(description="deposit: what the deposit asked still lacks; balance: the whole balance due.")


class PaymentSessionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str = Field(description="The provider's id of the session (Stripe: cs_...).")
    order_id: UUID
    purpose: Purpose
    amount: Money
    status: SessionStatus = Field(description=(
        "open: on the hosted page, not paid; processing: paid by a means whose money arrives later; paid: recorded as "
        "a card payment of the order; unapplied: paid, but the order could no longer take it (see `refusal`): to be "
        "refunded; expired; failed. Only the provider's signed notification changes it."))
    url: str = Field(description="The provider's hosted page where the family pays.")
    provider_payment_id: str | None
    refusal: str | None
    created_at: datetime
    updated_at: datetime


class PaymentSessionDetail(PaymentSessionOut):
    provider_status: str | None = Field(None, description=(
        "For a session still open here: what the provider says of it now (open, complete, expired). complete means "
        "paid there while its notification has not been applied yet; nothing is recorded until it is."))


@router.post("/orders/{order_id}/payment-sessions", status_code=201, response_model=PaymentSessionOut,
             openapi_extra=FAMILY_ROUTE,
             summary="Open the card payment provider's hosted page for the deposit or the balance of the order.",
             description="For the family on its own order, or staff. The answer's `url` is the page to send the family "
                         "to; the payment is recorded only when the provider's signed notification arrives.")
async def open_session(order_id: UUID, body: PaymentSessionIn, uow: UoW, principal: FamilyCaller,
                       request: Request, key: IdempotencyKey = None) -> PaymentSession:
    order = await services.get_order(uow, order_id)
    check_access(principal, order, write=True)
    checkout = checkout_of(request)
    portal = Portal(request.app.state.settings.front_office_url.rstrip("/"))
    return await card_payments.open_session(uow, checkout, order, body.purpose, portal, principal.sub, key)


@router.get("/orders/{order_id}/payment-sessions", summary="The order's card payment sessions, oldest first.",
            openapi_extra=FAMILY_ROUTE)
async def list_sessions(order_id: UUID, uow: Snapshot, principal: FamilyCaller, limit: Limit = 50,
                        cursor: Cursor = None) -> Page[PaymentSessionOut]:
    check_access(principal, await services.get_order(uow, order_id))
    stmt = select(PaymentSession).where(PaymentSession.order_id == order_id)
    rows, next_cursor = await keyset_page(uow.session, stmt, PaymentSession.created_at, PaymentSession.id, limit,
                                          cursor)
    return Page(items=[PaymentSessionOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/orders/{order_id}/payment-sessions/{session_id}", openapi_extra=FAMILY_ROUTE,
            summary="One card payment session: what the family portal shows when the provider sends the family back.")
async def get_session(order_id: UUID, session_id: str, uow: Snapshot, principal: FamilyCaller,
                      request: Request) -> PaymentSessionDetail:
    check_access(principal, await services.get_order(uow, order_id))
    session = PaymentSessionDetail.model_validate(await card_payments.get_session(uow, order_id, session_id))
    checkout = request.app.state.checkout
    if session.status == SessionStatus.OPEN and checkout is not None:
        await uow.rollback()
        session.provider_status = (await checkout.retrieve(session_id)).status
    return session


@router.post("/webhooks/stripe", summary="Stripe's signed notifications (webhooks): no token, the signature is the "
                                        "authentication.",
             description="Checked with the webhook secret (Stripe-Signature). `checkout.session.completed` (and "
                         "`async_payment_succeeded`) records the card payment; `expired` and `async_payment_failed` "
                         "close the session. Each event is applied once: a replay changes nothing.",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": {"type": "object", "description": "A Stripe event."}}}}})
async def stripe_webhook(request: Request, uow: UoW, checkout: Checkout,
                         signature: Annotated[str | None, Header(alias="Stripe-Signature")] = None
                         ) -> dict[str, str]:
    try:
        notification = checkout.notification(await request.body(), signature)
    except InvalidNotification as error:
        log.warning("orders.card_notification_refused", reason=str(error))
        raise Problem(400, "invalid_signature", "Invalid signature",
                      f"The notification is not signed with the webhook secret, or is too old: {error}") from error
    outcome = await card_payments.apply_notification(uow, notification)
    await uow.commit()
    log.info("orders.card_notification", event_id=notification.event_id, type=notification.type, outcome=outcome)
    return {"received": "true", "outcome": outcome}
