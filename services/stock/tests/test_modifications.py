"""Extras' places and order modifications: everything moves at once or nothing does (seed 001)."""
import uuid
from decimal import Decimal

from shared import events
from shared.events import ExtraQuantity
from shared.testing import BusSpy, eventually


async def make_departure(stock, capacity=10, stay_id=None):
    if stay_id is None:
        stay_id = (await stock.post("/stays", json={"title": "Aventure en Ardèche"})).json()["id"]
    response = await stock.post(f"/stays/{stay_id}/departures", json={
        "start_date": "2027-07-10", "end_date": "2027-07-24", "capacity": capacity, "base_price": "850.00"})
    assert response.status_code == 201, response.text
    return response.json()


async def make_extra(stock, departure_id, capacity, label="Équitation"):
    response = await stock.post(f"/departures/{departure_id}/extras",
                                json={"label": label, "price": "120.00", "capacity": capacity})
    assert response.status_code == 201, response.text
    return response.json()


def order(cls, departure_id, order_id, status, places=1, extras=(), **more):
    return cls(order_id=order_id, reference="C-1", client_id=uuid.uuid4(), departure_id=departure_id, status=status,
               places=places, participant_ids=[uuid.uuid4() for _ in range(places)], total=Decimal("850.00"),
               amount_paid=Decimal("0.00"), invoiced=False,
               extras=[ExtraQuantity(extra_id=e, quantity=q) for e, q in extras], **more)


async def place(bus, departure_id, places=1, extras=(), reseller_id=None):
    order_id = uuid.uuid4()
    await bus.publish(order(events.OrderPlaced, departure_id, order_id, "pending", places, extras,
                            reseller_id=reseller_id), order_id, 1)
    return order_id


async def answer(bus, order_id, version):
    async def found():
        return [e for e in bus.of_type(events.HoldConfirmed, order_id=order_id)
                + bus.of_type(events.HoldRejected, order_id=order_id) if e.data["order_version"] == version]

    (answered,) = await eventually(found)
    return answered


async def places(stock, departure_id):
    return (await stock.get(f"/departures/{departure_id}")).json()["stock"]


async def extra_places(stock, departure_id, extra_id):
    extras = (await stock.get(f"/departures/{departure_id}/extras")).json()["items"]
    (extra,) = [e for e in extras if e["id"] == extra_id]
    return {k: extra[k] for k in ("capacity", "held", "overdue", "confirmed", "free")}


async def test_extras_places_follow_the_order_and_a_full_extra_refuses_the_whole_hold(stock, bus: BusSpy):
    departure = await make_departure(stock, capacity=10)
    riding = await make_extra(stock, departure["id"], capacity=2)
    first = await place(bus, departure["id"], places=2, extras=[(riding["id"], 2)])
    assert (await answer(bus, first, 1)).type == events.HoldConfirmed.TYPE
    assert await extra_places(stock, departure["id"], riding["id"]) == {
        "capacity": 2, "held": 2, "overdue": 0, "confirmed": 0, "free": 0}

    second = await place(bus, departure["id"], places=1, extras=[(riding["id"], 1)])
    refused = await answer(bus, second, 1)
    assert refused.type == events.HoldRejected.TYPE and "Équitation" in refused.data["reason"]
    assert (await places(stock, departure["id"]))["held"] == 2, "a refused hold takes no place at all"

    await bus.publish(order(events.OrderValidated, departure["id"], first, "validated", 2, [(riding["id"], 2)]),
                      first, 2)
    await eventually(lambda: _extra_is(stock, departure["id"], riding["id"], "confirmed", 2))
    await bus.publish(order(events.OrderCancelled, departure["id"], first, "cancelled", 2, [(riding["id"], 2)],
                            cancelled_by="client"), first, 3)
    await eventually(lambda: _extra_is(stock, departure["id"], riding["id"], "free", 2))
    assert (await places(stock, departure["id"]))["free"] == 10


async def test_a_modification_moves_places_and_extras_to_another_departure(stock, bus: BusSpy):
    july = await make_departure(stock, capacity=5)
    august = await make_departure(stock, capacity=5, stay_id=july["stay_id"])
    kayak = await make_extra(stock, july["id"], capacity=3, label="Kayak")
    surf = await make_extra(stock, august["id"], capacity=3, label="Surf")
    order_id = await place(bus, july["id"], places=2, extras=[(kayak["id"], 2)])
    await answer(bus, order_id, 1)

    await bus.publish(order(events.OrderModified, august["id"], order_id, "option", 3, [(surf["id"], 1)]),
                      order_id, 2)
    confirmed = await answer(bus, order_id, 2)
    assert confirmed.type == events.HoldConfirmed.TYPE and confirmed.aggregate_version == 2
    assert (await places(stock, july["id"]))["free"] == 5 and (await places(stock, august["id"]))["held"] == 3
    assert (await extra_places(stock, july["id"], kayak["id"]))["free"] == 3
    assert (await extra_places(stock, august["id"], surf["id"]))["held"] == 1

    await bus.publish(order(events.OrderOptionExpired, august["id"], order_id, "option_expired", 3,
                            [(surf["id"], 1)]), order_id, 3)
    await eventually(lambda: _extra_is(stock, august["id"], surf["id"], "overdue", 1))
    assert (await places(stock, august["id"]))["overdue"] == 3
    assert (await stock.get("/reconciliation")).json()["items"] == []


async def test_a_refused_modification_leaves_every_place_where_it_was(stock, bus: BusSpy):
    departure = await make_departure(stock, capacity=4)
    kayak = await make_extra(stock, departure["id"], capacity=5, label="Kayak")
    photos = await make_extra(stock, departure["id"], capacity=None, label="Album photo")
    order_id = await place(bus, departure["id"], places=2, extras=[(kayak["id"], 2)])
    await answer(bus, order_id, 1)
    other = await place(bus, departure["id"], places=1)
    await answer(bus, other, 1)

    # One more participant would fit, two would not: the kayak and album changes must not happen either.
    await bus.publish(order(events.OrderModified, departure["id"], order_id, "option", 4,
                            [(kayak["id"], 4), (photos["id"], 4)]), order_id, 2)
    refused = await answer(bus, order_id, 2)
    assert refused.type == events.HoldRejected.TYPE and refused.data["free"] == 1
    assert await places(stock, departure["id"]) == {"capacity": 4, "held": 3, "overdue": 0, "confirmed": 0,
                                                    "free": 1}
    assert (await extra_places(stock, departure["id"], kayak["id"]))["held"] == 2
    assert (await extra_places(stock, departure["id"], photos["id"]))["held"] == 0

    await bus.publish(order(events.OrderModified, departure["id"], order_id, "option", 3,
                            [(kayak["id"], 3), (photos["id"], 3)]), order_id, 3)
    assert (await answer(bus, order_id, 3)).type == events.HoldConfirmed.TYPE
    assert (await places(stock, departure["id"]))["free"] == 0
    assert (await extra_places(stock, departure["id"], photos["id"]))["held"] == 3


async def test_an_extra_given_up_that_became_full_cannot_be_chosen_again(stock, bus: BusSpy):
    departure = await make_departure(stock, capacity=10)
    riding = await make_extra(stock, departure["id"], capacity=1)
    mine = await place(bus, departure["id"], extras=[(riding["id"], 1)])
    await answer(bus, mine, 1)
    await bus.publish(order(events.OrderModified, departure["id"], mine, "option"), mine, 2)
    await answer(bus, mine, 2)
    theirs = await place(bus, departure["id"], extras=[(riding["id"], 1)])
    assert (await answer(bus, theirs, 1)).type == events.HoldConfirmed.TYPE
    await bus.publish(order(events.OrderArchived, departure["id"], theirs, "archived", 1, [(riding["id"], 1)]),
                      theirs, 2)
    await eventually(lambda: _extra_is(stock, departure["id"], riding["id"], "free", 1))

    await bus.publish(order(events.OrderModified, departure["id"], mine, "option", 1, [(riding["id"], 1)]), mine, 3)
    refused = await answer(bus, mine, 3)
    assert refused.type == events.HoldRejected.TYPE and "ne peut plus être choisie" in refused.data["reason"]
    assert (await extra_places(stock, departure["id"], riding["id"]))["free"] == 1

    another = await place(bus, departure["id"], extras=[(riding["id"], 1)])
    assert (await answer(bus, another, 1)).type == events.HoldConfirmed.TYPE, "other orders may still choose it"


async def test_a_stale_modification_is_answered_and_not_applied(stock, bus: BusSpy):
    departure = await make_departure(stock, capacity=10)
    order_id = await place(bus, departure["id"], places=2)
    await answer(bus, order_id, 1)
    await bus.publish(order(events.OrderValidated, departure["id"], order_id, "validated", 2), order_id, 3)
    await eventually(lambda: _bucket_is(stock, departure["id"], "confirmed", 2))
    await bus.publish(order(events.OrderModified, departure["id"], order_id, "option", 5), order_id, 2)
    assert (await answer(bus, order_id, 2)).type == events.HoldRejected.TYPE
    assert (await places(stock, departure["id"]))["confirmed"] == 2


async def test_extra_capacity_changes_are_checked(stock, bus: BusSpy):
    departure = await make_departure(stock)
    riding = await make_extra(stock, departure["id"], capacity=3)
    order_id = await place(bus, departure["id"], places=2, extras=[(riding["id"], 2)])
    await answer(bus, order_id, 1)
    url = f"/departures/{departure['id']}/extras/{riding['id']}"
    below = await stock.patch(url, json={"capacity": 1})
    assert below.status_code == 409 and below.json()["code"] == "capacity_below_taken"
    unlimited = await stock.patch(url, json={"capacity": None, "price": "99.00"})
    assert unlimited.status_code == 200 and unlimited.json()["free"] is None and unlimited.json()["price"] == "99.00"
    assert (await stock.patch(url, json={"price": None})).status_code == 422


async def _extra_is(stock, departure_id, extra_id, bucket, value):
    return (await extra_places(stock, departure_id, extra_id))[bucket] == value


async def _bucket_is(stock, departure_id, bucket, value):
    return (await places(stock, departure_id))[bucket] == value


async def test_the_return_of_a_withdrawn_modification_puts_the_places_back_unless_they_were_sold(stock, bus: BusSpy):
    """Orders withdraws a modification by announcing the order as it was in a newer modified event: stock,
    having applied the modification first, moves the places back, or refuses and keeps them where they are."""
    july = await make_departure(stock, capacity=2)
    august = await make_departure(stock, capacity=5, stay_id=july["stay_id"])
    order_id = await place(bus, july["id"], places=2)
    await answer(bus, order_id, 1)
    await bus.publish(order(events.OrderModified, august["id"], order_id, "option", 2), order_id, 2)
    assert (await answer(bus, order_id, 2)).type == events.HoldConfirmed.TYPE

    await bus.publish(order(events.OrderModified, july["id"], order_id, "option", 2), order_id, 3)
    assert (await answer(bus, order_id, 3)).type == events.HoldConfirmed.TYPE
    assert (await places(stock, july["id"]))["held"] == 2 and (await places(stock, august["id"]))["free"] == 5

    await bus.publish(order(events.OrderModified, august["id"], order_id, "option", 2), order_id, 4)
    await answer(bus, order_id, 4)
    other = await place(bus, july["id"], places=1)
    await answer(bus, other, 1)
    await bus.publish(order(events.OrderModified, july["id"], order_id, "option", 2), order_id, 5)
    refused = await answer(bus, order_id, 5)
    assert refused.type == events.HoldRejected.TYPE
    assert (await places(stock, august["id"]))["held"] == 2 and (await places(stock, july["id"]))["held"] == 1
