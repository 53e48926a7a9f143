"""A family pays its deposit online, across the services as processes: orders opens the page on colo-stripe-emulator
(its own process, orders' secrets read from files), the family pays there, the signed notification records the card
payment and validates the option; the provider resending it records nothing more."""
from datetime import timedelta

import pytest

from shared.testing import auth, eventually, submit_hosted_page

from .test_story import until
from .test_story_payments import departure_of, platform_today

pytestmark = pytest.mark.e2e


async def test_a_family_pays_its_deposit_by_card_and_its_option_is_validated(platform):
    clients, stock, orders = platform.client("clients"), platform.client("stock"), platform.client("orders")
    _, departure_id = await departure_of(stock, "Cirque et jonglage en Drôme", platform_today(platform)
                                         + timedelta(days=90), "700.00")
    family = (await clients.post("/clients", json={
        "kind": "private", "civility": "Mme", "last_name": "Roux", "first_name": "Élise",
        "email": "elise.roux@example.fr"})).json()
    child = (await clients.post(f"/clients/{family['id']}/participants", json={
        "last_name": "Roux", "first_name": "Noé", "birth_date": "2016-04-12"})).json()
    placed = await orders.post("/orders", json={"client_id": family["id"], "departure_id": departure_id,
                                                "participant_ids": [child["id"]]})
    assert placed.status_code == 201, placed.text
    order = await until(orders, f"/orders/{placed.json()['id']}", lambda o: o["status"] == "option")
    deposit = order["deposit"]["amount"]

    family_token = auth("client", client_id=family["id"])
    opened = await orders.post(f"/orders/{order['id']}/payment-sessions", json={"purpose": "deposit"},
                               headers=family_token)
    assert opened.status_code == 201, opened.text
    session = opened.json()
    assert session["amount"] == deposit and session["url"].startswith(platform.stripe.url)
    back = await submit_hosted_page(session["url"], "Payer")
    assert back.headers["location"].endswith(f"/commandes/{order['id']}/paiement?session_id={session['id']}")

    validated = await until(orders, f"/orders/{order['id']}", lambda o: o["status"] == "validated")
    assert validated["amount_paid"] == deposit
    (payment,) = (await orders.get(f"/orders/{order['id']}/payments")).json()["items"]
    assert (payment["method"], payment["amount"], payment["recorded_by"]) == ("card", deposit, "stripe")

    async with platform.stripe.api() as stripe_api:
        events = (await stripe_api.get("/v1/events", params={"type": "checkout.session.completed", "limit": 100}))
        (event,) = [e for e in events.json()["data"] if e["data"]["object"]["id"] == session["id"]]
        assert (await stripe_api.post(f"/v1/events/{event['id']}/retry")).status_code == 200
    await eventually(lambda: _delivered(platform, event["id"], 2))
    assert len((await orders.get(f"/orders/{order['id']}/payments")).json()["items"]) == 1
    assert (await orders.get(f"/orders/{order['id']}")).json()["amount_paid"] == deposit
    seen = (await orders.get(f"/orders/{order['id']}/payment-sessions/{session['id']}", headers=family_token)).json()
    assert seen["status"] == "paid"


async def _delivered(platform, event_id: str, times: int) -> bool:
    """The emulator's log says orders accepted the event `times` times."""
    lines = platform.stripe.log_path.read_text().splitlines()
    return sum(1 for line in lines if event_id in line and line.endswith(": 200")) >= times

