"""The card payment provider: Stripe Checkout, through the stripe library. Its hosted page takes the card, so that
Colo never sees one; its signed notifications (webhooks) are the only proof that money was paid.

In development the API base is colo-stripe-emulator's (`COLO_STRIPE_API_BASE`), which speaks the same protocol.
"""
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import stripe

from shared.logging import log
from shared.money import from_cents, to_cents
from shared.problems import Problem, unavailable


@dataclass(frozen=True)
class CheckoutRequest:
    order_id: UUID
    reference: str
    purpose: str
    amount: Decimal
    description: str
    customer_email: str | None
    success_url: str
    cancel_url: str
    idempotency_key: str | None = None


@dataclass(frozen=True)
class ProviderSession:
    """What Colo reads of a Checkout Session."""

    id: str
    url: str | None
    status: str
    """open, complete or expired."""
    payment_status: str
    """paid, unpaid, or no_payment_required."""
    payment_id: str | None
    amount: Decimal
    currency: str
    order_id: str | None
    """The order its metadata names."""

    @classmethod
    def of(cls, data: dict[str, Any]) -> "ProviderSession":
        return cls(id=data["id"], url=data.get("url"), status=data.get("status") or "open",
                   payment_status=data.get("payment_status") or "unpaid", payment_id=data.get("payment_intent"),
                   amount=from_cents(int(data.get("amount_total") or 0)), currency=data.get("currency") or "",
                   order_id=(data.get("metadata") or {}).get("order_id"))


@dataclass(frozen=True)
class Notification:
    event_id: str
    type: str
    session: ProviderSession | None
    """The Checkout Session the event is about; none for other events."""


class InvalidNotification(Exception):
    """Not signed with the webhook secret, too old, or not an event: nothing of it may be believed."""


class StripeCheckout:
    def __init__(self, secret_key: str, webhook_secret: str, api_base: str, timeout: float) -> None:
        self._http = stripe.HTTPXClient(timeout=timeout)
        self._client = stripe.StripeClient(secret_key, base_addresses={"api": api_base}, http_client=self._http,
                                           max_network_retries=2)
        self._webhook_secret = webhook_secret

    async def create(self, request: CheckoutRequest) -> ProviderSession:
        metadata = {"order_id": str(request.order_id), "order_reference": request.reference,
                    "purpose": request.purpose}
        params: dict[str, Any] = {
            "mode": "payment",
            "payment_method_types": ["card"],
            "line_items": [{"quantity": 1, "price_data": {
                "currency": "eur", "unit_amount": to_cents(request.amount),
                "product_data": {"name": request.description}}}],
            "client_reference_id": request.reference,
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata, "description": request.description},
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "locale": "fr",
        }
        if request.customer_email:
            params["customer_email"] = request.customer_email
        options = {"idempotency_key": request.idempotency_key} if request.idempotency_key else {}
        async with _provider_errors():
            session = await self._client.v1.checkout.sessions.create_async(params=params, options=options)
        return ProviderSession.of(session.to_dict())

    async def retrieve(self, session_id: str) -> ProviderSession:
        async with _provider_errors():
            session = await self._client.v1.checkout.sessions.retrieve_async(session_id)
        return ProviderSession.of(session.to_dict())

    def notification(self, payload: bytes, signature: str | None) -> Notification:
        """The event of a webhook whose Stripe-Signature is right for the webhook secret and recent."""
        try:
            event = stripe.Webhook.construct_event(payload, signature, self._webhook_secret)
        except (stripe.SignatureVerificationError, ValueError) as error:
            raise InvalidNotification(str(error)) from error
        data = event.to_dict()
        subject = (data.get("data") or {}).get("object") or {}
        session = ProviderSession.of(subject) if subject.get("object") == "checkout.session" else None
        return Notification(event_id=data["id"], type=data["type"], session=session)

    async def close(self) -> None:
        await self._http.close_async()


@asynccontextmanager
async def _provider_errors() -> AsyncIterator[None]:
    """Stripe not answering, or refusing Colo's key, is an outage for the family (503), not a bug."""
    try:
        yield
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
        raise unavailable("payment_provider_unavailable",
                          "The card payment provider does not answer; try again shortly.") from error
    except stripe.IdempotencyError as error:
        raise Problem(409, "idempotency_key_reused", "Action refused",
                      "This Idempotency-Key opened a payment session for another amount: send a new key.") from error
    except (stripe.AuthenticationError, stripe.PermissionError) as error:
        log.error("orders.payment_provider_refused_key", error=str(error))
        raise unavailable("payment_provider_unavailable",
                          "Card payment is unavailable now; try again later or pay by another means.") from error
