"""Paying online: a family pays its deposit on the provider's hosted page, here colo-stripe-emulator run as its own
process, which orders' Stripe adapter calls unchanged; orders is served over real HTTP so that the emulator's signed
notifications reach it. Only those notifications record a payment, once."""
import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import stripe

from orders.app import OrdersSettings, create
from shared import events
from shared.testing import (
    BusSpy,
    GatewayProcess,
    StripeEmulator,
    auth,
    eventually,
    free_port,
    running,
    serving,
    service_settings,
    submit_hosted_page,
    truncate_all,
)

PORTAL = "https://portail.example.fr"


@pytest.fixture(scope="module")
def webhook_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
async def emulator(tmp_path_factory: pytest.TempPathFactory, webhook_port: int) -> AsyncIterator[StripeEmulator]:
    started = StripeEmulator(tmp_path_factory.mktemp("stripe"), [f"http://127.0.0.1:{webhook_port}/webhooks/stripe"])
    try:
        await started.start().wait_ready()
        yield started
    finally:
        started.stop()


@asynccontextmanager
async def orders_paying_with(emulator: StripeEmulator, port: int, infra, orders_db, directory, clock
                             ) -> AsyncIterator[httpx.AsyncClient]:
    await truncate_all(orders_db)
    settings = service_settings(OrdersSettings, infra, "orders", orders_db, front_office_url=PORTAL,
                                **emulator.settings())
    async with serving(create(settings, clock, directory), port) as client:
        yield client


@pytest.fixture
async def orders(emulator, webhook_port, infra, orders_db, directory, clock) -> AsyncIterator[httpx.AsyncClient]:
    async with orders_paying_with(emulator, webhook_port, infra, orders_db, directory, clock) as client:
        yield client


async def optioned(orders, directory, bus: BusSpy, deposit: bool = True) -> tuple[dict, dict[str, str]]:
    """An option of 850.00 € whose organiser asks a 30 % deposit (255.00 €), and its family's token."""
    client, departure = directory.add_family(), directory.add_departure()
    if deposit:
        directory.organise(departure)
    placed = await orders.post("/orders", json={"client_id": str(client.id), "departure_id": str(departure.id),
                                                "participant_ids": [str(p) for p in client.participants]})
    assert placed.status_code == 201, placed.text
    await bus.publish(events.HoldConfirmed(order_id=placed.json()["id"], departure_id=str(departure.id), places=1),
                      placed.json()["id"])
    await bus.wait_for(events.OrderOptioned, order_id=placed.json()["id"])
    return (await orders.get(f"/orders/{placed.json()['id']}")).json(), auth("client", client_id=str(client.id))


async def open_session(orders, order, family, purpose="deposit", **headers) -> dict:
    opened = await orders.post(f"/orders/{order['id']}/payment-sessions", json={"purpose": purpose},
                               headers={**family, **headers})
    assert opened.status_code == 201, opened.text
    return opened.json()


async def card_payments(orders, order) -> list[dict]:
    return [p for p in (await orders.get(f"/orders/{order['id']}/payments")).json()["items"] if p["method"] == "card"]


async def session_status(orders, order, session_id) -> str:
    return (await orders.get(f"/orders/{order['id']}/payment-sessions/{session_id}")).json()["status"]


async def notify(orders, event: dict, secret: str) -> httpx.Response:
    """A notification signed as Stripe signs them, with `secret`."""
    payload = json.dumps(event)
    return await orders.post("/webhooks/stripe", content=payload, headers={
        "Content-Type": "application/json", "Authorization": "",
        "Stripe-Signature": stripe.WebhookSignature.generate_signature_header(payload, secret)})


async def test_a_family_pays_its_deposit_on_the_hosted_page_and_it_is_recorded_once(orders, directory, bus, emulator):
    order, family = await optioned(orders, directory, bus)
    session = await open_session(orders, order, family)
    assert (session["purpose"], session["amount"], session["status"]) == ("deposit", "255.00", "open")
    async with emulator.api() as stripe_api:
        asked = (await stripe_api.get(f"/v1/checkout/sessions/{session['id']}")).json()
    assert (asked["amount_total"], asked["currency"], asked["client_reference_id"]) == (25500, "eur", order["reference"])
    assert asked["metadata"]["order_id"] == order["id"] and asked["url"] == session["url"]
    assert asked["success_url"].startswith(f"{PORTAL}/commandes/{order['id']}/paiement")

    back = await submit_hosted_page(session["url"], "Payer")
    assert back.headers["location"] == f"{PORTAL}/commandes/{order['id']}/paiement?session_id={session['id']}"
    recorded = await bus.wait_for(events.PaymentRecorded, order_id=order["id"])
    assert (recorded.data["method"], recorded.data["amount"], recorded.data["balance"]) == ("card", "255.00", "595.00")
    (payment,) = await card_payments(orders, order)
    assert payment["amount"] == "255.00" and payment["provider_reference"].startswith("pi_")
    assert payment["recorded_by"] == "stripe"
    body = (await orders.get(f"/orders/{order['id']}")).json()
    assert (body["status"], body["amount_paid"], body["balance"]) == ("validated", "255.00", "595.00")
    seen = (await orders.get(f"/orders/{order['id']}/payment-sessions/{session['id']}", headers=family)).json()
    assert (seen["status"], seen["provider_payment_id"]) == ("paid", payment["provider_reference"])
    workflow = (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]
    assert [(e["action"], e["actor"]) for e in workflow if e["actor"] == "stripe"] == [("validated", "stripe")]

    async with emulator.api() as stripe_api:
        (event,) = [e for e in (await stripe_api.get("/v1/events", params={"type": "checkout.session.completed",
                                                                           "limit": 100})).json()["data"]
                    if e["data"]["object"]["id"] == session["id"]]
    replayed = await notify(orders, event, emulator.webhook_secret)
    assert replayed.status_code == 200 and replayed.json()["outcome"] == "duplicate"
    another = await notify(orders, {**event, "id": f"evt_{uuid.uuid4().hex}"}, emulator.webhook_secret)
    assert another.status_code == 200 and another.json()["outcome"] == "unchanged"
    assert len(await card_payments(orders, order)) == 1
    assert (await orders.get(f"/orders/{order['id']}")).json()["amount_paid"] == "255.00"
    assert len(bus.of_type(events.PaymentRecorded, order_id=order["id"])) == 1


async def test_a_notification_not_signed_with_the_webhook_secret_records_nothing(orders, directory, bus, emulator):
    order, family = await optioned(orders, directory, bus)
    session = await open_session(orders, order, family)
    async with emulator.api() as stripe_api:
        data = (await stripe_api.get(f"/v1/checkout/sessions/{session['id']}")).json()
    paid = {**data, "status": "complete", "payment_status": "paid", "payment_intent": "pi_forged"}
    event = {"id": "evt_forged", "object": "event", "type": "checkout.session.completed", "created": int(time.time()),
             "data": {"object": paid}}
    payload = json.dumps(event)

    forged = await notify(orders, event, "whsec_guessed")
    assert forged.status_code == 400 and forged.headers["content-type"] == "application/problem+json"
    assert forged.json()["code"] == "invalid_signature"
    unsigned = await orders.post("/webhooks/stripe", content=payload, headers={"Authorization": ""})
    assert unsigned.status_code == 400 and unsigned.json()["code"] == "invalid_signature"
    signed = stripe.WebhookSignature.generate_signature_header(payload, emulator.webhook_secret)
    tampered = await orders.post("/webhooks/stripe", content=payload.replace("25500", "2550000"),
                                 headers={"Stripe-Signature": signed, "Authorization": ""})
    assert tampered.status_code == 400
    stale = stripe.WebhookSignature.generate_signature_header(payload, emulator.webhook_secret, int(time.time()) - 3600)
    replay_of_old = await orders.post("/webhooks/stripe", content=payload,
                                      headers={"Stripe-Signature": stale, "Authorization": ""})
    assert replay_of_old.status_code == 400
    assert await card_payments(orders, order) == []
    assert await session_status(orders, order, session["id"]) == "open"
    assert (await orders.get(f"/orders/{order['id']}")).json()["status"] == "option"

    genuine = await notify(orders, event, emulator.webhook_secret)  # the same event, signed with the secret
    assert genuine.status_code == 200 and genuine.json()["outcome"] == "paid"
    assert [p["provider_reference"] for p in await card_payments(orders, order)] == ["pi_forged"]


async def test_the_browser_s_return_alone_records_nothing(infra, orders_db, directory, clock, bus, tmp_path: Path):
    unreachable = StripeEmulator(tmp_path, [f"http://127.0.0.1:{free_port()}/webhooks/stripe"])
    try:
        await unreachable.start().wait_ready()
        async with orders_paying_with(unreachable, free_port(), infra, orders_db, directory, clock) as orders:
            order, family = await optioned(orders, directory, bus)
            session = await open_session(orders, order, family)
            back = await submit_hosted_page(session["url"], "Payer")
            assert back.headers["location"].endswith(f"session_id={session['id']}")

            returned = await orders.get(f"/orders/{order['id']}/payment-sessions/{session['id']}", headers=family)
            assert returned.status_code == 200
            assert (returned.json()["status"], returned.json()["provider_status"]) == ("open", "complete")
            assert await card_payments(orders, order) == []
            body = (await orders.get(f"/orders/{order['id']}")).json()
            assert (body["status"], body["amount_paid"]) == ("option", "0.00")
    finally:
        unreachable.stop()


async def test_an_abandoned_session_records_nothing_and_expires(orders, directory, bus, emulator):
    order, family = await optioned(orders, directory, bus)
    session = await open_session(orders, order, family)
    back = await submit_hosted_page(session["url"], "Annuler")
    assert back.headers["location"] == f"{PORTAL}/commandes/{order['id']}?paiement=abandonne"
    assert await session_status(orders, order, session["id"]) == "open"

    async with emulator.api() as stripe_api:  # as Stripe does after 24 hours
        assert (await stripe_api.post(f"/v1/checkout/sessions/{session['id']}/expire")).status_code == 200
    await eventually(lambda: _status_is(orders, order, session["id"], "expired"))
    async with httpx.AsyncClient() as browser:
        assert "expiré" in (await browser.get(session["url"])).text
        assert (await browser.post(session["url"], data={"action": "pay"})).status_code == 409
    assert await card_payments(orders, order) == []
    assert (await orders.get(f"/orders/{order['id']}")).json()["status"] == "option"


async def _status_is(orders, order, session_id, status) -> bool:
    return await session_status(orders, order, session_id) == status


async def test_money_the_order_can_no_longer_take_is_kept_aside_to_refund(orders, directory, bus):
    order, family = await optioned(orders, directory, bus)
    deposit = await open_session(orders, order, family, "deposit")
    balance = await open_session(orders, order, family, "balance")
    assert balance["amount"] == "850.00"
    await submit_hosted_page(deposit["url"], "Payer")
    await eventually(lambda: _status_is(orders, order, deposit["id"], "paid"))
    await submit_hosted_page(balance["url"], "Payer")  # 850.00 € more on an order that owes 595.00 €
    await eventually(lambda: _status_is(orders, order, balance["id"], "unapplied"))

    kept = (await orders.get(f"/orders/{order['id']}/payment-sessions/{balance['id']}")).json()
    assert kept["provider_payment_id"].startswith("pi_") and "dépasse" in kept["refusal"]
    assert [p["amount"] for p in await card_payments(orders, order)] == ["255.00"]
    workflow = (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]
    assert workflow[-1]["action"] == "card_payment_unapplied" and "À rembourser" in workflow[-1]["detail"]
    listed = (await orders.get(f"/orders/{order['id']}/payment-sessions", headers=family)).json()["items"]
    assert {s["id"]: s["status"] for s in listed} == {deposit["id"]: "paid", balance["id"]: "unapplied"}


async def test_what_cannot_be_paid_is_refused_and_only_the_family_or_staff_may_open_a_page(orders, directory, bus):
    order, family = await optioned(orders, directory, bus, deposit=False)
    path = f"/orders/{order['id']}/payment-sessions"
    no_deposit = await orders.post(path, json={"purpose": "deposit"}, headers=family)
    assert no_deposit.status_code == 409 and no_deposit.json()["code"] == "no_deposit_asked"
    stranger = auth("client", client_id=str(uuid.uuid4()))
    assert (await orders.post(path, json={"purpose": "balance"}, headers=stranger)).status_code == 404
    assert (await orders.post(path, json={"purpose": "balance"}, headers=auth("accountant"))).status_code == 403
    assert (await orders.get(path, headers=stranger)).status_code == 404
    invalid = await orders.post(path, json={"purpose": "everything"}, headers=family)
    assert invalid.status_code == 422 and "purpose" in invalid.json()["detail"]

    first = await open_session(orders, order, family, "balance", **{"Idempotency-Key": "k-1"})
    again = await open_session(orders, order, family, "balance", **{"Idempotency-Key": "k-1"})
    by_staff = await open_session(orders, order, auth("operator"), "balance")
    assert first["id"] == again["id"] != by_staff["id"] and by_staff["amount"] == "850.00"

    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "850.00", "method": "cheque"})
    settled = await orders.post(path, json={"purpose": "balance"}, headers=family)
    assert settled.status_code == 409 and settled.json()["code"] == "nothing_due"
    archived, family_of_archived = await optioned(orders, directory, bus)
    assert (await orders.post(f"/orders/{archived['id']}/archive")).status_code == 200
    refused = await orders.post(f"/orders/{archived['id']}/payment-sessions", json={"purpose": "deposit"},
                                headers=family_of_archived)
    assert refused.status_code == 409 and refused.json()["code"] == "payment_refused"


async def test_without_online_payments_no_page_opens_and_no_notification_is_believed(infra, orders_db, directory,
                                                                                      clock, bus):
    settings = service_settings(OrdersSettings, infra, "orders", orders_db)
    async with running(create(settings, clock, directory)) as orders:
        order, family = await optioned(orders, directory, bus)
        opened = await orders.post(f"/orders/{order['id']}/payment-sessions", json={"purpose": "deposit"},
                                   headers=family)
        assert opened.status_code == 409 and opened.json()["code"] == "online_payments_disabled"
        notified = await orders.post("/webhooks/stripe", json={"id": "evt_1", "type": "checkout.session.completed"})
        assert notified.status_code == 409


async def test_the_notification_reaches_orders_through_the_gateway_unchanged(orders, directory, bus, emulator,
                                                                            webhook_port, tmp_path: Path):
    """Stripe calls the platform's public address: nginx must pass the body and its signature as they came."""
    gateway = GatewayProcess({"orders": f"127.0.0.1:{webhook_port}"}, tmp_path / "gateway").start()
    try:
        await gateway.wait_ready()
        order, family = await optioned(orders, directory, bus)
        session = await open_session(orders, order, family)
        async with emulator.api() as stripe_api:
            data = (await stripe_api.get(f"/v1/checkout/sessions/{session['id']}")).json()
        event = {"id": f"evt_{uuid.uuid4().hex}", "object": "event", "type": "checkout.session.completed",
                 "data": {"object": {**data, "status": "complete", "payment_status": "paid",
                                     "payment_intent": "pi_through_the_gateway"}}}
        async with httpx.AsyncClient(base_url=f"{gateway.url}/api/orders") as public:
            forged = await notify(public, event, "whsec_guessed")
            assert forged.status_code == 400 and forged.json()["code"] == "invalid_signature"
            accepted = await notify(public, event, emulator.webhook_secret)
        assert accepted.status_code == 200 and accepted.json()["outcome"] == "paid"
        assert [p["amount"] for p in await card_payments(orders, order)] == ["255.00"]
    finally:
        gateway.stop()
