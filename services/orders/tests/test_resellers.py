"""Orders sold through a reseller (seed 000): stock's prices with its markup, only assigned departures, and the
reseller named on every lifecycle event so that stock takes the producer's places only on validation."""
import uuid

from shared import events
from shared.testing import BusSpy


async def test_an_order_sold_through_a_named_reseller_carries_its_markup_and_names_it_on_every_event(
        orders, directory, bus: BusSpy):
    family, departure = directory.add_family(), directory.add_departure()
    reseller = directory.add_reseller(directory.add_professional(0), departure, markup="10")
    placed = await orders.post("/orders", json={
        "client_id": str(family.id), "departure_id": str(departure.id), "reseller_id": str(reseller.id),
        "participant_ids": [str(p) for p in family.participants]})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["reseller_id"] == str(reseller.id) and order["total"] == "935.00"  # 850 € + 10 %
    assert (await bus.wait_for(events.OrderPlaced, order_id=order["id"])).data["reseller_id"] == str(reseller.id)
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=departure.id, places=1), order["id"])
    optioned = await bus.wait_for(events.OrderOptioned, order_id=order["id"])
    assert optioned.data["reseller_id"] == str(reseller.id)
    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "935.00", "method": "transfer"})
    validated = await bus.wait_for(events.OrderValidated, order_id=order["id"])
    assert validated.data["reseller_id"] == str(reseller.id)
    workflow = (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]
    assert workflow[0]["detail"] == "Commande créée pour 1 participant(s), 935.00 €, vendue par le revendeur " \
                                    "Mairie de Villeurbanne."


async def test_a_reseller_client_buys_through_itself_and_only_its_assigned_departures(orders, directory, bus):
    assigned, other = directory.add_departure(), directory.add_departure()
    reseller = directory.add_reseller(directory.add_professional(2), assigned, markup="12.5")
    body = {"client_id": str(reseller.id), "participant_ids": [str(p) for p in reseller.participants]}
    order = (await orders.post("/orders", json={**body, "departure_id": str(assigned.id)})).json()
    assert order["reseller_id"] == str(reseller.id) and order["total"] == "1912.50"  # 2 × 956.25
    refused = await orders.post("/orders", json={**body, "departure_id": str(other.id)})
    assert refused.status_code == 409 and refused.json()["code"] == "departure_not_assigned"
    assert "pas affecté au revendeur" in refused.json()["detail"]

    plain = directory.add_family()
    unknown = await orders.post("/orders", json={"client_id": str(plain.id), "departure_id": str(assigned.id),
                                                 "reseller_id": str(uuid.uuid4()),
                                                 "participant_ids": [str(p) for p in plain.participants]})
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_reseller"
    direct = (await orders.post("/orders", json={"client_id": str(plain.id), "departure_id": str(other.id),
                                                 "participant_ids": [str(p) for p in plain.participants]})).json()
    assert direct["reseller_id"] is None and direct["total"] == "850.00"


async def test_only_a_professional_client_is_looked_up_among_resellers(orders, directory):
    """Seed 000: a reseller is a professional client, so stock is not asked about a family buying directly."""
    departure = directory.add_departure()
    family, professional = directory.add_family(), directory.add_professional(1)
    for client in (family, professional):
        placed = await orders.post("/orders", json={"client_id": str(client.id), "departure_id": str(departure.id),
                                                    "participant_ids": [str(p) for p in client.participants]})
        assert placed.status_code == 201 and placed.json()["reseller_id"] is None, placed.text
    assert directory.reseller_queries == 1


async def test_a_quote_for_a_reseller_becomes_its_order_and_a_modification_still_names_it(
        orders, directory, bus: BusSpy):
    family, departure = directory.add_family(2), directory.add_departure()
    reseller = directory.add_reseller(directory.add_professional(0), departure, markup="10")
    kids = list(family.participants)
    quote = (await orders.post("/quotes", json={"client_id": str(family.id), "departure_id": str(departure.id),
                                                "reseller_id": str(reseller.id),
                                                "participant_ids": [str(kids[0])]})).json()
    assert quote["reseller_id"] == str(reseller.id) and quote["total"] == "935.00"
    order = (await orders.post(f"/quotes/{quote['id']}/conversion")).json()
    assert order["reseller_id"] == str(reseller.id) and order["total"] == "935.00"
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=departure.id, places=1), order["id"])
    await bus.wait_for(events.OrderOptioned, order_id=order["id"])
    asked = await orders.post(f"/orders/{order['id']}/modifications", json={
        "participants": [{"participant_id": str(k)} for k in kids]})
    assert asked.status_code == 202 and asked.json()["modification"]["proposed_total"] == "1870.00"
    proposed = await bus.wait_for(events.OrderModified, order_id=order["id"])
    assert proposed.data["reseller_id"] == str(reseller.id)
