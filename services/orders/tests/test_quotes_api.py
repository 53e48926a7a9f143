"""Quotes: priced like an order without holding places, valid until a date, turned into an order once."""
import uuid
from datetime import timedelta

from shared import events
from shared.testing import BusSpy


async def quote_for(orders, directory, **extra):
    client = directory.add_family(children=2)
    departure = directory.add_departure()
    lyon = directory.add_city(departure, "Lyon", "50.00")
    response = await orders.post("/quotes", json={
        "client_id": str(client.id), "departure_id": str(departure.id),
        "participants": [{"participant_id": str(p), "outbound_city_id": str(lyon)} for p in client.participants],
        "add_ons": [{"label": "Assurance annulation", "amount": "35.00"}], **extra})
    assert response.status_code == 201, response.text
    return response.json(), client


async def test_a_quote_has_the_order_s_breakdown_holds_no_places_and_becomes_an_order_once(
        orders, directory, bus: BusSpy):
    quote, client = await quote_for(orders, directory, cash_discount="15.00")
    assert quote["reference"].startswith("D") and quote["status"] == "open" and not quote["expired"]
    assert quote["valid_until"] == "2027-03-31"  # 30 days from the clock's 1 March
    assert [line["kind"] for line in quote["lines"]] == ["stay", "transport"] * 2 + ["add_on", "cash_discount"]
    assert quote["summary"] == {"package": "1800.00", "add_ons": "35.00", "cash_discount": "-15.00",
                                "reductions": "0.00", "membership": "0.00", "total": "1820.00"}
    assert (await orders.get("/orders", params={"client_id": str(client.id)})).json()["items"] == []
    listed = (await orders.get("/quotes", params={"client_id": str(client.id)})).json()["items"]
    assert [q["id"] for q in listed] == [quote["id"]]

    converted = await orders.post(f"/quotes/{quote['id']}/conversion",
                                  json={"consents": {"newsletter": False, "partner_offers": True}})
    assert converted.status_code == 201, converted.text
    order = converted.json()
    assert order["status"] == "pending" and order["total"] == quote["total"]
    assert [line["label"] for line in order["lines"]] == [line["label"] for line in quote["lines"]]
    placed = await bus.wait_for(events.OrderPlaced, order_id=order["id"])
    assert placed.data["places"] == 2
    assert placed.data["consents"] == {"newsletter": False, "partner_offers": True, "recorded_by": "operator@test"}
    workflow = [(e["action"], e["detail"]) for e in
                (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]]
    assert ("quote_converted", f"Transformation du devis {quote['reference']} en commande.") in workflow
    now = (await orders.get(f"/quotes/{quote['id']}")).json()
    assert now["status"] == "converted" and now["order_id"] == order["id"]
    again = await orders.post(f"/quotes/{quote['id']}/conversion")
    assert again.status_code == 409 and again.json()["code"] == "quote_converted"
    assert order["reference"] in again.json()["detail"]


async def test_an_expired_quote_cannot_become_an_order(orders, directory, clock):
    quote, _ = await quote_for(orders, directory, valid_until="2027-03-10")
    clock.advance(timedelta(days=10))
    assert (await orders.get(f"/quotes/{quote['id']}")).json()["expired"] is True
    refused = await orders.post(f"/quotes/{quote['id']}/conversion")
    assert refused.status_code == 409 and refused.json()["code"] == "quote_expired"
    assert "10/03/2027" in refused.json()["detail"]


async def test_a_quote_is_refused_like_an_order_would_be(orders, directory):
    blocked = directory.add_family(blocked=True)
    departure = directory.add_departure()
    body = {"client_id": str(blocked.id), "departure_id": str(departure.id),
            "participant_ids": [str(p) for p in blocked.participants]}
    refused = await orders.post("/quotes", json=body)
    assert refused.status_code == 409 and refused.json()["code"] == "client_blocked"
    client = directory.add_family()
    past = await orders.post("/quotes", json={**body, "client_id": str(client.id),
                                              "participant_ids": [str(p) for p in client.participants],
                                              "valid_until": "2027-02-01"})
    assert past.status_code == 409 and past.json()["code"] == "invalid_validity"
    assert (await orders.get(f"/quotes/{uuid.uuid4()}")).status_code == 404
    assert (await orders.post(f"/quotes/{uuid.uuid4()}/conversion")).status_code == 404


async def test_a_quote_with_a_promo_code_counts_its_use_only_when_it_becomes_an_order(orders, directory):
    code = (await orders.post("/promo-codes", json={"code": "ETE27", "kind": "amount", "value": "50",
                                                     "max_uses": 1})).json()
    quote, _ = await quote_for(orders, directory, promo_code="ETE27")
    assert quote["promo_code"] == "ETE27" and quote["summary"]["reductions"] == "-50.00"
    assert (await orders.get(f"/promo-codes/{code['id']}")).json()["uses"] == 0
    assert (await orders.post(f"/quotes/{quote['id']}/conversion")).status_code == 201
    assert (await orders.get(f"/promo-codes/{code['id']}")).json()["uses"] == 1
