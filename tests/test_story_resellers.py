"""A stay sold through a reseller across the services: the reseller is a professional client whose markup is on its
client record, stock refuses a family as a reseller, prices with the reseller's markup, refuses a departure not
assigned to it, and takes the producer's place only when the reseller's customer's order is validated."""
from datetime import date

import pytest

from shared.testing import eventually

from .test_story import create_family, until
from .test_story_payments import departure_of

pytestmark = pytest.mark.e2e


async def test_a_reseller_s_customer_books_an_assigned_departure_and_takes_a_place_on_validation(platform):
    clients, stock, orders = platform.client("clients"), platform.client("stock"), platform.client("orders")
    _, assigned = await departure_of(stock, "Équitation dans le Vercors", date(2027, 8, 2), "700.00")
    _, other = await departure_of(stock, "Voile à Hyères", date(2027, 8, 2), "900.00")
    town_hall = await clients.post("/clients", json={
        "kind": "professional", "company_name": "Mairie de Bron", "last_name": "Petit", "first_name": "Anne",
        "email": "jeunesse@bron.example.fr", "address_lines": ["Place de Weingarten"], "postal_code": "69500",
        "city": "Bron", "markup": "10"})
    assert town_hall.status_code == 201, town_hall.text
    reseller_id = town_hall.json()["id"]
    family_id, (child,) = await create_family(clients, "famille.roux@example.fr", 1)

    async def assign(client_id):
        """Stock learns of the client from clients' event: until then, it is unknown to it (404)."""
        response = await stock.post(f"/resellers/{client_id}/assignments", json={"departure_ids": [assigned]})
        return response if response.status_code != 404 else None

    refused_reseller = await eventually(lambda: assign(family_id))
    assert refused_reseller.status_code == 409, refused_reseller.text
    assert refused_reseller.json()["code"] == "reseller_not_professional", "a family is no reseller"
    assert (await eventually(lambda: assign(reseller_id))).status_code == 200
    assert (await stock.get(f"/resellers/{reseller_id}")).json()["markup_percent"] == "10.00"

    booking = {"client_id": family_id, "reseller_id": reseller_id, "participant_ids": [child]}
    refused = await orders.post("/orders", json={**booking, "departure_id": other})
    assert refused.status_code == 409 and refused.json()["code"] == "departure_not_assigned", refused.text

    placed = await orders.post("/orders", json={**booking, "departure_id": assigned})
    assert placed.status_code == 201, placed.text
    assert placed.json()["total"] == "770.00" and placed.json()["reseller_id"] == reseller_id  # 700 € + 10 %
    order_id = placed.json()["id"]
    await until(orders, f"/orders/{order_id}", lambda o: o["status"] == "option")
    places = (await stock.get(f"/departures/{assigned}")).json()["stock"]
    assert (places["held"], places["confirmed"], places["free"]) == (0, 0, 30)  # the option takes no place

    paid = await orders.post(f"/orders/{order_id}/payments", json={"amount": "770.00", "method": "transfer"})
    assert paid.status_code == 201, paid.text
    places = await until(stock, f"/departures/{assigned}", lambda d: d["stock"]["confirmed"] == 1)
    assert places["stock"]["free"] == 29
