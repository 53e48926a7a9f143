"""colo-stripe-emulator as its own process, through the stripe library as orders calls it: Stripe's errors, its
idempotency, and a session left open expiring by itself. (Paying, its signed webhooks and their resending are
shown with orders, in services/orders/tests/test_card_payments.py.)"""
import time
from collections.abc import AsyncIterator

import pytest
import stripe

from shared.testing import StripeEmulator, eventually, free_port


@pytest.fixture(scope="module")
async def emulator(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[StripeEmulator]:
    started = StripeEmulator(tmp_path_factory.mktemp("stripe"), [f"http://127.0.0.1:{free_port()}/nobody"])
    try:
        await started.start().wait_ready()
        yield started
    finally:
        started.stop()


def client(emulator: StripeEmulator, key: str | None = None) -> stripe.StripeClient:
    return stripe.StripeClient(key or emulator.secret_key, base_addresses={"api": emulator.url},
                               http_client=stripe.HTTPXClient(timeout=10))


def params(**changes) -> dict:
    return {"mode": "payment", "success_url": "https://portail.example.fr/ok", "line_items": [
        {"quantity": 2, "price_data": {"currency": "eur", "unit_amount": 12550, "product_data": {"name": "Séjour"}}}],
        **changes}


async def test_the_secret_key_is_required_and_bad_parameters_are_named(emulator):
    with pytest.raises(stripe.AuthenticationError):
        await client(emulator, "sk_test_someone_else").v1.checkout.sessions.create_async(params=params())
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await client(emulator).v1.checkout.sessions.create_async(params={"mode": "payment", "line_items": []})
    assert missing.value.param == "line_items"
    bad_amount = params(line_items=[{"quantity": 1, "price_data": {"currency": "eur", "unit_amount": "douze",
                                                                    "product_data": {"name": "Séjour"}}}])
    with pytest.raises(stripe.InvalidRequestError) as invalid:
        await client(emulator).v1.checkout.sessions.create_async(params=bad_amount)
    assert invalid.value.param == "line_items[0][price_data][unit_amount]"
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        await client(emulator).v1.checkout.sessions.retrieve_async("cs_test_unknown")
    assert unknown.value.http_status == 404


async def test_a_retried_creation_gets_the_same_session_and_a_key_is_for_one_request(emulator):
    sessions = client(emulator).v1.checkout.sessions
    first = await sessions.create_async(params=params(), options={"idempotency_key": "order-1-deposit"})
    again = await sessions.create_async(params=params(), options={"idempotency_key": "order-1-deposit"})
    assert first.id == again.id and first.amount_total == 25100 and first.status == "open"
    with pytest.raises(stripe.IdempotencyError):
        await sessions.create_async(params=params(client_reference_id="other"),
                                    options={"idempotency_key": "order-1-deposit"})


async def test_a_session_left_open_expires_by_itself_and_says_so(emulator):
    sessions = client(emulator).v1.checkout.sessions
    session = await sessions.create_async(params=params(expires_at=int(time.time()) + 1))

    async def expired() -> bool:
        return (await sessions.retrieve_async(session.id)).status == "expired"

    await eventually(expired, timeout=20, interval=0.2)
    async with emulator.api() as api:
        events = (await api.get("/v1/events", params={"type": "checkout.session.expired"})).json()["data"]
    assert [e["data"]["object"]["id"] for e in events] == [session.id]
