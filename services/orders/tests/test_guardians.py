"""A legal guardian per participant (seed 001): chosen among the client's guardians, shown with its participant,
added and removed with it by a modification, and named in the settlement when a payment names the participant."""
import uuid
from decimal import Decimal

from shared import events
from shared.testing import BusSpy, eventually


def family_with_guardians(directory, children=3):
    client = directory.add_family(children)
    mother, father = directory.add_guardian(client, "Claire Martin"), directory.add_guardian(client, "Paul Martin")
    return client, list(client.participants), mother, father


def guardians_of(order):
    return [(p["participant_id"], p["legal_guardian_id"], p["legal_guardian_name"]) for p in order["participants"]]


async def test_each_participant_names_one_of_the_client_s_guardians_and_the_settlement_names_who_paid(
        orders, directory, bus: BusSpy):
    client, kids, mother, father = family_with_guardians(directory)
    departure = directory.add_departure()
    placed = await orders.post("/orders", json={
        "client_id": str(client.id), "departure_id": str(departure.id), "participants": [
            {"participant_id": str(kids[0]), "legal_guardian_id": str(mother)},
            {"participant_id": str(kids[1]), "legal_guardian_id": str(father)},
            {"participant_id": str(kids[2])}]})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert guardians_of(order) == [(str(kids[0]), str(mother), "Claire Martin"),
                                   (str(kids[1]), str(father), "Paul Martin"), (str(kids[2]), None, None)]
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=departure.id, places=3), order["id"])
    await bus.wait_for(events.OrderOptioned, order_id=order["id"])
    paid = await orders.post(f"/orders/{order['id']}/payments", json={
        "amount": "300.00", "method": "cheque", "label": "M. Martin", "participant_id": str(kids[1])})
    assert paid.status_code == 201, paid.text
    shares = (await orders.get(f"/orders/{order['id']}/settlement")).json()["shares"]
    assert [(s["legal_guardian_name"], s["share"], s["paid"], s["balance"]) for s in shares] == [
        ("Claire Martin", "850.00", "0.00", "850.00"), ("Paul Martin", "850.00", "300.00", "550.00"),
        (None, "850.00", "0.00", "850.00")]
    assert shares[1]["legal_guardian_id"] == str(father)


async def test_a_guardian_of_another_client_is_refused(orders, directory):
    client, kids, _, _ = family_with_guardians(directory, children=1)
    stranger = directory.add_guardian(directory.add_family(), "Jean Dupont")
    for guardian in (stranger, uuid.uuid4()):
        refused = await orders.post("/orders", json={
            "client_id": str(client.id), "departure_id": str(directory.add_departure().id),
            "participants": [{"participant_id": str(kids[0]), "legal_guardian_id": str(guardian)}]})
        assert refused.status_code == 422 and refused.json()["code"] == "unknown_legal_guardian"


async def test_a_modification_adds_a_participant_with_its_guardian_and_removes_them_together(
        orders, directory, bus: BusSpy):
    client, kids, mother, father = family_with_guardians(directory, children=2)
    departure = directory.add_departure()
    order = (await orders.post("/orders", json={
        "client_id": str(client.id), "departure_id": str(departure.id),
        "participants": [{"participant_id": str(kids[0]), "legal_guardian_id": str(mother)}]})).json()
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=departure.id, places=1), order["id"])
    await bus.wait_for(events.OrderOptioned, order_id=order["id"])

    added = await orders.post(f"/orders/{order['id']}/modifications", json={"participants": [
        {"participant_id": str(kids[0])}, {"participant_id": str(kids[1]), "legal_guardian_id": str(father)}]})
    assert added.status_code == 202, added.text
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=departure.id, places=2,
                                           order_version=added.json()["modification"]["version"]), order["id"], 2)
    now = await eventually(lambda: _with_participants(orders, order["id"], 2))
    assert guardians_of(now) == [(str(kids[0]), str(mother), "Claire Martin"),
                                 (str(kids[1]), str(father), "Paul Martin")]  # the first kept its guardian

    removed = await orders.post(f"/orders/{order['id']}/modifications", json={"participants": [
        {"participant_id": str(kids[1])}]})
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=departure.id, places=1,
                                           order_version=removed.json()["modification"]["version"]), order["id"], 3)
    now = await eventually(lambda: _with_participants(orders, order["id"], 1))
    assert guardians_of(now) == [(str(kids[1]), str(father), "Paul Martin")]

    changed = await orders.post(f"/orders/{order['id']}/modifications", json={"participants": [
        {"participant_id": str(kids[1]), "legal_guardian_id": str(mother)}]})
    assert changed.status_code == 200  # no place changes: at once
    assert guardians_of(changed.json()["order"]) == [(str(kids[1]), str(mother), "Claire Martin")]


async def test_a_quote_names_the_guardians_and_its_order_keeps_them(orders, directory):
    client, kids, mother, _ = family_with_guardians(directory, children=1)
    quote = (await orders.post("/quotes", json={
        "client_id": str(client.id), "departure_id": str(directory.add_departure().id),
        "participants": [{"participant_id": str(kids[0]), "legal_guardian_id": str(mother)}]})).json()
    assert quote["participants"][0]["legal_guardian_name"] == "Claire Martin"
    order = (await orders.post(f"/quotes/{quote['id']}/conversion")).json()
    assert guardians_of(order) == [(str(kids[0]), str(mother), "Claire Martin")]


async def _with_participants(orders, order_id, count):
    order = (await orders.get(f"/orders/{order_id}")).json()
    return order if len(order["participants"]) == count else None


async def test_the_shares_add_up_to_the_total_and_a_settled_order_leaves_no_guardian_owing(
        orders, directory, bus: BusSpy):
    """The promo code, the cash discount and the order's add-on are shared out (in proportion to each participant's
    lines, the odd cent to the first); a payment naming nobody counts for everyone."""
    client, kids, mother, father = family_with_guardians(directory)
    departure = directory.add_departure()
    await orders.post("/promo-codes", json={"code": "ETE27", "kind": "percent", "value": "10"})
    placed = await orders.post("/orders", json={
        "client_id": str(client.id), "departure_id": str(departure.id), "promo_code": "ETE27",
        "cash_discount": "10.00", "add_ons": [{"label": "Assurance annulation", "amount": "35.00"}],
        "participants": [{"participant_id": str(kids[0]), "legal_guardian_id": str(mother)},
                         {"participant_id": str(kids[1]), "legal_guardian_id": str(father)},
                         {"participant_id": str(kids[2]), "legal_guardian_id": str(father)}]})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["total"] == "2316.50"  # 3 × 850 + 35 - 10 - 10 % of 2585: the order's own lines are -233.50
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=departure.id, places=3), order["id"])
    await bus.wait_for(events.OrderOptioned, order_id=order["id"])
    await orders.post(f"/orders/{order['id']}/payments", json={
        "amount": "500.00", "method": "cheque", "participant_id": str(kids[1])})
    settlement = (await orders.get(f"/orders/{order['id']}/settlement")).json()
    assert [(s["share"], s["paid"], s["balance"]) for s in settlement["shares"]] == [
        ("772.16", "0.00", "772.16"), ("772.17", "500.00", "272.17"), ("772.17", "0.00", "772.17")]
    assert sum(Decimal(s["share"]) for s in settlement["shares"]) == Decimal("2316.50")

    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "1816.50", "method": "transfer"})
    settlement = (await orders.get(f"/orders/{order['id']}/settlement")).json()
    assert settlement["balance"] == "0.00" and settlement["settled"]
    assert [(s["paid"], s["balance"]) for s in settlement["shares"]] == [
        ("772.16", "0.00"), ("772.17", "0.00"), ("772.17", "0.00")]
