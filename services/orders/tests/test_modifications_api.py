"""Modifying an order (seed 001): what can change, what cannot, and how stock's answer decides places."""
import uuid
from dataclasses import replace
from decimal import Decimal

from orders.domain.membership import Policy, Year
from shared import events
from shared.testing import BusSpy, eventually


async def optioned(orders, directory, bus: BusSpy, children=2, booked=1, **extra):
    """A family with `children`, the first `booked` of them on an option from Lyon with riding."""
    client = directory.add_family(children)
    departure = directory.add_departure()
    lyon = directory.add_city(departure, "Lyon", "50.00")
    toulouse = directory.add_city(departure, "Toulouse", "20.00")
    riding = directory.add_extra(departure, "Équitation", "120.00")
    kids = list(client.participants)
    placed = await orders.post("/orders", json={
        "client_id": str(client.id), "departure_id": str(departure.id), "participants": [
            {"participant_id": str(k), "outbound_city_id": str(lyon), "extra_ids": [str(riding)]}
            for k in kids[:booked]], **extra})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=order["departure_id"], places=booked,
                                           order_version=1), order["id"])
    await eventually(lambda: _field_is(orders, order["id"], "status", "option"))
    return order, client, departure, kids, {"lyon": lyon, "toulouse": toulouse, "riding": riding}


async def _field_is(orders, order_id, field, value):
    return (await orders.get(f"/orders/{order_id}")).json()[field] == value


async def actions(orders, order_id):
    return [(e["action"], e["detail"]) for e in (await orders.get(f"/orders/{order_id}/workflow")).json()["items"]]


def lines_of(order):
    return [(line["kind"], line["label"], line["amount"]) for line in order["lines"]]


async def test_a_different_return_city_and_new_prices_apply_at_once_and_recompute_the_total(
        orders, directory, bus: BusSpy):
    order, _, _, kids, ids = await optioned(orders, directory, bus)
    changed = await orders.post(f"/orders/{order['id']}/modifications", json={"participants": [
        {"participant_id": str(kids[0]), "outbound_city_id": str(ids["lyon"]), "return_city_id": str(ids["toulouse"]),
         "extra_ids": [str(ids["riding"])], "stay_price": "800.00"}],
        "add_ons": [{"label": "Assurance annulation", "amount": "35.00"}]})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["modification"]["status"] == "applied"
    assert lines_of(body["order"]) == [
        ("stay", "Séjour Aventure en Ardèche du 10/07/2027 au 24/07/2027 – Enfant0 Martin", "800.00"),
        ("transport", "Transport A/R Lyon / Toulouse – Enfant0 Martin", "42.00"),  # (50 + 20) / 2 × 1.2, seed 001
        ("extra", "Option Équitation – Enfant0 Martin", "120.00"),
        ("add_on", "Assurance annulation", "35.00")]
    assert body["order"]["total"] == "997.00" and body["order"]["version"] == 3
    modified = await bus.wait_for(events.OrderModified, order_id=order["id"])
    assert modified.aggregate_version == 3 and modified.data["total"] == "997.00"
    assert modified.data["extras"] == [{"extra_id": str(ids["riding"]), "quantity": 1}]
    assert (await actions(orders, order["id"]))[-1] == (
        "modified", "Commande modifiée : total 1020.00 € → 997.00 €.")


async def test_adding_a_participant_waits_for_stock_then_brings_its_extras_and_membership(
        orders, directory, bus: BusSpy):
    order, client, departure, kids, ids = await optioned(orders, directory, bus)
    both = [{"participant_id": str(k), "outbound_city_id": str(ids["lyon"]), "extra_ids": [str(ids["riding"])]}
            for k in kids]
    asked = await orders.post(f"/orders/{order['id']}/modifications", json={"participants": both})
    assert asked.status_code == 202, asked.text
    assert asked.json()["modification"]["proposed_total"] == "2040.00"
    assert asked.json()["order"]["total"] == "1020.00" and len(asked.json()["order"]["participants"]) == 1
    proposed = await bus.wait_for(events.OrderModified, order_id=order["id"])
    assert proposed.data["places"] == 2 and proposed.data["extras"] == [
        {"extra_id": str(ids["riding"]), "quantity": 2}]
    again = await orders.post(f"/orders/{order['id']}/modifications", json={"cash_discount": "10.00"})
    assert again.status_code == 409 and again.json()["code"] == "modification_pending"

    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=order["departure_id"], places=2,
                                           order_version=proposed.aggregate_version), order["id"], 2)
    await eventually(lambda: _field_is(orders, order["id"], "total", "2040.00"))
    now = (await orders.get(f"/orders/{order['id']}")).json()
    assert [p["participant_id"] for p in now["participants"]] == [str(k) for k in kids]
    assert [line["kind"] for line in now["lines"]] == ["stay", "transport", "extra"] * 2
    assert now["status"] == "option"

    removed = await orders.post(f"/orders/{order['id']}/modifications", json={"participants": both[1:]})
    assert removed.status_code == 202
    proposed = await bus.wait_for(events.OrderModified, order_id=order["id"], places=1)
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=order["departure_id"], places=1,
                                           order_version=proposed.aggregate_version), order["id"], 3)
    await eventually(lambda: _field_is(orders, order["id"], "total", "1020.00"))
    now = (await orders.get(f"/orders/{order['id']}")).json()
    assert {line["participant_id"] for line in now["lines"]} == {str(kids[1])}  # its extras went with it


async def test_a_modification_stock_refuses_leaves_the_order_as_it_was_with_the_reason(orders, directory, bus: BusSpy):
    order, _, departure, kids, _ = await optioned(orders, directory, bus)
    later = replace(directory.add_departure(), stay_id=None)
    directory.departures[later.id] = later
    asked = await orders.post(f"/orders/{order['id']}/modifications", json={
        "departure_id": str(later.id), "participants": [{"participant_id": str(k)} for k in kids]})
    assert asked.status_code == 202, asked.text
    proposed = await bus.wait_for(events.OrderModified, order_id=order["id"])
    assert proposed.data["departure_id"] == str(later.id)
    await bus.publish(events.HoldRejected(order_id=order["id"], departure_id=later.id, places=2, free=1,
                                          reason="Plus que 1 place sur ce départ",
                                          order_version=proposed.aggregate_version), order["id"], 2)
    refusal = ("modification_refused",
               "Modification refusée par le stock : Plus que 1 place sur ce départ. La commande reste inchangée.")
    await eventually(lambda: _has(orders, order["id"], refusal))
    now = (await orders.get(f"/orders/{order['id']}")).json()
    assert now["departure_id"] == str(departure.id) and now["total"] == "1020.00" and len(now["participants"]) == 1
    history = (await orders.get(f"/orders/{order['id']}/modifications")).json()["items"]
    assert [(m["status"], m["reason"]) for m in history] == [("rejected", "Plus que 1 place sur ce départ")]


async def _has(orders, order_id, entry):
    return entry in await actions(orders, order_id)


async def test_what_cannot_change_is_refused_with_its_reason(orders, directory, bus: BusSpy):
    code = await orders.post("/promo-codes", json={"code": "ETE27", "kind": "amount", "value": "50"})
    assert code.status_code == 201
    order, client, departure, kids, _ = await optioned(orders, directory, bus, promo_code="ETE27")
    stay = uuid.uuid4()
    directory.departures[departure.id] = replace(directory.departures[departure.id], stay_id=stay)
    other_stay = replace(directory.add_departure(), stay_id=uuid.uuid4())
    directory.departures[other_stay.id] = other_stay
    url = f"/orders/{order['id']}/modifications"
    for body, code_ in (({"departure_id": str(other_stay.id)}, "stay_cannot_change"),
                        ({"client_id": str(uuid.uuid4())}, "client_cannot_change"),
                        ({"promo_code": "HIVER"}, "promo_code_cannot_change"),
                        ({"cashback": "5.00"}, "cashback_cannot_change"),
                        ({"cash_discount": "2000"}, "reductions_exceed_price")):
        refused = await orders.post(url, json=body)
        assert refused.status_code == 409 and refused.json()["code"] == code_, body
    same = await orders.post(url, json={"promo_code": "ete27", "client_id": str(client.id), "cash_discount": "10"})
    assert same.status_code == 200, same.text
    assert same.json()["order"]["total"] == "960.00"  # the promo code's 50 € stays, frozen
    assert (await orders.post(url, json={"participants": [{"participant_id": str(uuid.uuid4())}]})).status_code == 422
    assert (await orders.post(f"/orders/{uuid.uuid4()}/modifications", json={})).status_code == 404


async def test_a_percentage_code_follows_the_modified_price_and_an_amount_off_stays(orders, directory, bus: BusSpy):
    """Seed 001's summary: 850 stay + 50 Lyon round trip + 12 evening = 912, of which 10 % is 91.20; coming back to
    Toulouse instead (42, seed 001) makes it 904, of which 10 % is 90.40 (it stayed 91.20)."""
    departure = directory.add_departure()
    lyon, toulouse = directory.add_city(departure, "Lyon", "50.00"), directory.add_city(departure, "Toulouse", "20.00")
    evening = directory.add_extra(departure, "Veillée", "12.00")
    client = directory.add_family()
    [kid] = [str(k) for k in client.participants]
    for code, kind, value, before, after in (("DIX", "percent", "10", "-91.20", "-90.40"),
                                             ("CINQUANTE", "amount", "50", "-50.00", "-50.00")):
        created = (await orders.post("/promo-codes", json={"code": code, "kind": kind, "value": value})).json()
        placed = (await orders.post("/orders", json={
            "client_id": str(client.id), "departure_id": str(departure.id), "promo_code": code,
            "participants": [{"participant_id": kid, "outbound_city_id": str(lyon), "extra_ids": [str(evening)]}]})
                  ).json()
        assert [line["amount"] for line in placed["lines"] if line["kind"] == "promo_code"] == [before]
        await bus.publish(events.HoldConfirmed(order_id=placed["id"], departure_id=departure.id, places=1,
                                               order_version=1), placed["id"])
        await eventually(lambda: _field_is(orders, placed["id"], "status", "option"))  # noqa: B023
        await orders.patch(f"/promo-codes/{created['id']}", json={"value": "20"})  # the order keeps its terms
        changed = await orders.post(f"/orders/{placed['id']}/modifications", json={"participants": [
            {"participant_id": kid, "outbound_city_id": str(lyon), "return_city_id": str(toulouse),
             "extra_ids": [str(evening)]}]})
        assert changed.status_code == 200, changed.text
        order = changed.json()["order"]
        assert [line["amount"] for line in order["lines"] if line["kind"] == "promo_code"] == [after]
        assert order["total"] == str(Decimal("904.00") + Decimal(after)) == order["summary"]["total"]


async def test_an_invoiced_order_must_be_un_invoiced_before_any_change(orders, directory, bus: BusSpy):
    order, client, _, _, _ = await optioned(orders, directory, bus)
    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "1020.00", "method": "transfer"})
    invoice_id = uuid.uuid4()
    await bus.publish(events.InvoiceIssued(order_id=order["id"], client_id=client.id, invoiced=True,
                                           current_invoice_id=invoice_id, invoice_id=invoice_id, number=1,
                                           reference="F2027-00001", total="1020.00",
                                           issued_at="2027-03-01T09:00:00Z"), order["id"], 1, producer="billing")
    await eventually(lambda: _field_is(orders, order["id"], "invoiced", True))
    refused = await orders.post(f"/orders/{order['id']}/modifications", json={"cash_discount": "10"})
    assert refused.status_code == 409 and refused.json()["code"] == "order_invoiced"
    assert "défacturez" in refused.json()["detail"]


async def test_adding_a_second_child_turns_the_membership_into_the_family_one(orders, directory, bus: BusSpy):
    policy = Policy(uuid.uuid4(), "Les Colos du Rhône", Decimal("15.00"), Decimal("20.00"), Year.CALENDAR)
    client = directory.add_family(children=2)
    departure = directory.add_departure()
    directory.organise(departure, policy)
    kids = list(client.participants)
    order = (await orders.post("/orders", json={"client_id": str(client.id), "departure_id": str(departure.id),
                                                "participant_ids": [str(kids[0])]})).json()
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=departure.id, places=1), order["id"])
    await eventually(lambda: _field_is(orders, order["id"], "status", "option"))
    asked = await orders.post(f"/orders/{order['id']}/modifications", json={
        "participants": [{"participant_id": str(k)} for k in kids]})
    proposed = await bus.wait_for(events.OrderModified, order_id=order["id"])
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=departure.id, places=2,
                                           order_version=asked.json()["modification"]["version"]), order["id"], 2)
    assert proposed.data["total"] == "1720.00"
    await eventually(lambda: _field_is(orders, order["id"], "total", "1720.00"))
    history = (await orders.get("/membership-charges", params={"client_id": str(client.id)})).json()["items"]
    assert [(h["kind"], h["amount"]) for h in history] == [("family", "20.00")]
