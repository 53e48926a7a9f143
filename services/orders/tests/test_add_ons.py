"""Add-on products from stock's catalogue (seed 001, "frais annexes"): the mandatory ones always, the optional ones
chosen by id, for every participant at stock's price; typed lines stay for what the catalogue does not hold."""
from shared import events
from shared.testing import BusSpy, eventually


def catalogue(directory, children=2):
    client, departure = directory.add_family(children), directory.add_departure()
    fees = directory.add_add_on(departure, "Frais de dossier", "20.00", mandatory=True)
    insurance = directory.add_add_on(departure, "Assurance annulation", "35.00")
    return client, departure, fees, insurance


def add_on_lines(order):
    return [(line["label"], line["amount"], line["participant_id"]) for line in order["lines"]
            if line["kind"] == "add_on"]


async def test_mandatory_add_ons_always_come_and_chosen_ones_are_priced_per_participant(orders, directory):
    client, departure, _, insurance = catalogue(directory)
    kids = list(client.participants)
    placed = await orders.post("/orders", json={
        "client_id": str(client.id), "departure_id": str(departure.id), "participant_ids": [str(k) for k in kids],
        "add_on_ids": [str(insurance)], "add_ons": [{"label": "Navette gare", "amount": "12.00"}]})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert add_on_lines(order) == [
        ("Frais de dossier – Enfant0 Martin", "20.00", str(kids[0])),
        ("Assurance annulation – Enfant0 Martin", "35.00", str(kids[0])),
        ("Frais de dossier – Enfant1 Martin", "20.00", str(kids[1])),
        ("Assurance annulation – Enfant1 Martin", "35.00", str(kids[1])),
        ("Navette gare", "12.00", None)]
    assert order["summary"]["package"] == "1700.00" and order["summary"]["add_ons"] == "122.00"
    assert order["total"] == "1822.00" and order["add_on_ids"] == [str(insurance)]

    plain = (await orders.post("/orders", json={"client_id": str(client.id), "departure_id": str(departure.id),
                                                "participant_ids": [str(kids[0])]})).json()
    assert add_on_lines(plain) == [("Frais de dossier – Enfant0 Martin", "20.00", str(kids[0]))]


async def test_an_add_on_of_another_departure_or_chosen_twice_is_refused(orders, directory):
    client, departure, _, insurance = catalogue(directory)
    elsewhere = directory.add_add_on(directory.add_departure(), "Assurance", "10.00")
    body = {"client_id": str(client.id), "departure_id": str(departure.id),
            "participant_ids": [str(k) for k in client.participants]}
    foreign = await orders.post("/orders", json={**body, "add_on_ids": [str(elsewhere)]})
    assert foreign.status_code == 422 and foreign.json()["code"] == "unknown_departure_choice"
    twice = await orders.post("/orders", json={**body, "add_on_ids": [str(insurance)] * 2})
    assert twice.status_code == 422


async def test_a_quote_keeps_its_add_ons_into_the_order(orders, directory):
    client, departure, _, insurance = catalogue(directory, children=1)
    quote = (await orders.post("/quotes", json={
        "client_id": str(client.id), "departure_id": str(departure.id),
        "participant_ids": [str(k) for k in client.participants], "add_on_ids": [str(insurance)]})).json()
    assert quote["add_on_ids"] == [str(insurance)] and quote["summary"]["add_ons"] == "55.00"
    order = (await orders.post(f"/quotes/{quote['id']}/conversion")).json()
    assert order["total"] == quote["total"] == "905.00" and order["add_on_ids"] == [str(insurance)]


async def test_a_modification_changes_the_add_ons_at_once_and_a_new_participant_gets_them(
        orders, directory, bus: BusSpy):
    client, departure, _, insurance = catalogue(directory)
    kids = list(client.participants)
    order = (await orders.post("/orders", json={
        "client_id": str(client.id), "departure_id": str(departure.id), "participant_ids": [str(kids[0])],
        "add_on_ids": [str(insurance)], "add_ons": [{"label": "Navette gare", "amount": "12.00"}]})).json()
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=departure.id, places=1), order["id"])
    await bus.wait_for(events.OrderOptioned, order_id=order["id"])

    dropped = await orders.post(f"/orders/{order['id']}/modifications", json={"add_on_ids": []})
    assert dropped.status_code == 200, dropped.text  # no place changes: applied at once
    assert add_on_lines(dropped.json()["order"]) == [("Frais de dossier – Enfant0 Martin", "20.00", str(kids[0])),
                                                     ("Navette gare", "12.00", None)]
    assert dropped.json()["order"]["total"] == "882.00" and dropped.json()["order"]["add_on_ids"] == []

    chosen = await orders.post(f"/orders/{order['id']}/modifications", json={"add_on_ids": [str(insurance)]})
    assert chosen.json()["order"]["total"] == "917.00"
    asked = await orders.post(f"/orders/{order['id']}/modifications", json={
        "participants": [{"participant_id": str(k)} for k in kids]})
    assert asked.status_code == 202 and asked.json()["modification"]["proposed_total"] == "1822.00"
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=departure.id, places=2,
                                           order_version=asked.json()["modification"]["version"]), order["id"], 2)
    await eventually(lambda: _total_is(orders, order["id"], "1822.00"))


async def _total_is(orders, order_id, total):
    return (await orders.get(f"/orders/{order_id}")).json()["total"] == total
