"""The stock service through its API and the bus, on real PostgreSQL and RabbitMQ."""
import uuid
from decimal import Decimal

from shared import events
from shared.testing import BusSpy, eventually


async def make_departure(stock, capacity=10):
    stay = (await stock.post("/stays", json={"title": "Aventure en Ardèche"})).json()
    response = await stock.post(
        f"/stays/{stay['id']}/departures",
        json={"start_date": "2027-07-10", "end_date": "2027-07-24", "capacity": capacity, "base_price": "850.00"},
    )
    assert response.status_code == 201, response.text
    return response.json()


def order_event(cls, departure_id, order_id, status, places=1, **extra):
    return cls(
        order_id=order_id, reference="C-1", client_id=uuid.uuid4(), departure_id=departure_id, status=status,
        places=places, participant_ids=[uuid.uuid4() for _ in range(places)], total=Decimal("850.00"),
        amount_paid=Decimal("0.00"), invoiced=False, **extra,
    )


async def stock_of(stock, departure_id):
    return (await stock.get(f"/departures/{departure_id}")).json()["stock"]


async def test_a_departure_starts_with_all_its_places_free(stock, bus: BusSpy):
    departure = await make_departure(stock, capacity=10)
    assert departure["stock"] == {"capacity": 10, "held": 0, "overdue": 0, "confirmed": 0, "free": 10}
    created = await bus.wait_for(events.DepartureCreated, departure_id=departure["id"])
    assert created.data["stay_title"] == "Aventure en Ardèche"


async def test_one_departure_comes_with_its_stay_s_title_and_organiser(stock):
    """What orders records of a booked departure, in one query."""
    departure = await make_departure(stock)
    stay = (await stock.get(f"/stays/{departure['stay_id']}")).json()
    read = (await stock.get(f"/departures/{departure['id']}")).json()
    assert (read["stay_title"], read["organiser_id"]) == ("Aventure en Ardèche", stay["organiser_id"])
    assert read["stock"] == departure["stock"]


async def test_a_placed_order_holds_its_places_and_its_lifecycle_moves_them(stock, bus: BusSpy):
    departure = await make_departure(stock)
    order_id = uuid.uuid4()
    await bus.publish(order_event(events.OrderPlaced, departure["id"], order_id, "pending", places=2), order_id, 1)
    await bus.wait_for(events.HoldConfirmed, order_id=order_id)
    assert (await stock_of(stock, departure["id"]))["held"] == 2

    await bus.publish(order_event(events.OrderOptionExpired, departure["id"], order_id, "option_expired", 2),
                      order_id, 3)
    await eventually(lambda: _bucket_is(stock, departure["id"], "overdue", 2))
    await bus.publish(order_event(events.OrderArchived, departure["id"], order_id, "archived", 2), order_id, 4)
    await eventually(lambda: _bucket_is(stock, departure["id"], "free", 10))


async def test_a_booking_larger_than_the_free_places_is_rejected_with_the_reason(stock, bus: BusSpy):
    departure = await make_departure(stock, capacity=2)
    order_id = uuid.uuid4()
    await bus.publish(order_event(events.OrderPlaced, departure["id"], order_id, "pending", places=3), order_id, 1)
    rejected = await bus.wait_for(events.HoldRejected, order_id=order_id)
    assert rejected.data["free"] == 2
    assert "2 place(s) disponible(s)" in rejected.data["reason"]
    assert (await stock_of(stock, departure["id"]))["free"] == 2


async def test_a_duplicated_or_stale_event_moves_nothing(stock, bus: BusSpy):
    departure = await make_departure(stock)
    order_id = uuid.uuid4()
    placed = order_event(events.OrderPlaced, departure["id"], order_id, "pending")
    first = await bus.publish(placed, order_id, 1)
    await bus.publish(placed, order_id, 1, envelope_id=first.id)
    await bus.wait_for(events.HoldConfirmed, order_id=order_id)
    await bus.publish(order_event(events.OrderValidated, departure["id"], order_id, "validated"), order_id, 3)
    await eventually(lambda: _bucket_is(stock, departure["id"], "confirmed", 1))
    # The option event (version 2) arrives after the validation (version 3): it is ignored.
    await bus.publish(order_event(events.OrderOptioned, departure["id"], order_id, "option"), order_id, 2)
    await bus.publish(order_event(events.OrderCancelled, departure["id"], order_id, "cancelled",
                                  cancelled_by="client"), order_id, 4)
    await eventually(lambda: _bucket_is(stock, departure["id"], "free", 10))
    assert await stock_of(stock, departure["id"]) == {"capacity": 10, "held": 0, "overdue": 0, "confirmed": 0,
                                                      "free": 10}
    assert len(bus.of_type(events.HoldConfirmed, order_id=order_id)) == 1


async def test_the_last_place_emits_departure_full(stock, bus: BusSpy):
    departure = await make_departure(stock, capacity=1)
    order_id = uuid.uuid4()
    await bus.publish(order_event(events.OrderPlaced, departure["id"], order_id, "pending"), order_id, 1)
    full = await bus.wait_for(events.DepartureFull, departure_id=departure["id"])
    assert full.data["stock"]["free"] == 0


async def test_bad_input_is_a_clear_422(stock):
    stay = (await stock.post("/stays", json={"title": "Mer"})).json()
    response = await stock.post(
        f"/stays/{stay['id']}/departures",
        json={"start_date": "2027-07-24", "end_date": "2027-07-10", "capacity": -1, "base_price": "1.234"},
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid_request"
    assert {e["field"] for e in problem["errors"]} >= {"body.capacity", "body.base_price"}
    assert response.headers["content-type"] == "application/problem+json"


async def test_unknown_ids_are_404_and_every_route_needs_a_token(stock):
    assert (await stock.get(f"/departures/{uuid.uuid4()}")).status_code == 404
    assert (await stock.get("/departures/not-a-uuid")).status_code == 422
    anonymous = await stock.get("/stays", headers={"Authorization": ""})
    assert anonymous.status_code == 401
    assert (await stock.get("/healthz", headers={"Authorization": ""})).status_code == 200


async def test_lists_are_paginated(stock):
    stay = (await stock.post("/stays", json={"title": "Montagne"})).json()
    for day in range(1, 6):
        await stock.post(f"/stays/{stay['id']}/departures", json={
            "start_date": f"2027-08-0{day}", "end_date": f"2027-08-1{day}", "capacity": 5, "base_price": "100"})
    first = (await stock.get("/departures", params={"stay_id": stay["id"], "limit": 3})).json()
    second = (await stock.get("/departures", params={"stay_id": stay["id"], "limit": 3,
                                                     "cursor": first["next_cursor"]})).json()
    assert len(first["items"]) == 3 and len(second["items"]) == 2 and second["next_cursor"] is None
    assert not {d["id"] for d in first["items"]} & {d["id"] for d in second["items"]}


async def test_a_retried_creation_with_the_same_idempotency_key_creates_once(stock):
    headers = {"Idempotency-Key": "stay-42"}
    first = await stock.post("/stays", json={"title": "Lac"}, headers=headers)
    again = await stock.post("/stays", json={"title": "Lac"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]


async def _bucket_is(stock, departure_id, bucket, value):
    return (await stock_of(stock, departure_id))[bucket] == value


async def answered(bus: BusSpy, order_id: uuid.UUID) -> bool:
    return bool(bus.of_type(events.HoldConfirmed, order_id=order_id) or bus.of_type(events.HoldRejected,
                                                                                    order_id=order_id))


async def test_a_placement_announced_again_gets_the_same_answer_and_moves_nothing(stock, bus: BusSpy):
    """Orders re-drives an order whose answer it never heard: stock decided once and says it again."""
    departure = await make_departure(stock, capacity=2)
    held, refused = uuid.uuid4(), uuid.uuid4()
    for order_id, places in ((held, 2), (refused, 1)):
        await bus.publish(order_event(events.OrderPlaced, departure["id"], order_id, "pending", places), order_id, 1)
        await eventually(lambda order_id=order_id: answered(bus, order_id))
    await stock.patch(f"/departures/{departure['id']}", json={"capacity": 3})

    for order_id, places in ((held, 2), (refused, 1)):
        await bus.publish(order_event(events.OrderPlaced, departure["id"], order_id, "pending", places), order_id, 2)
    confirmed = await bus.wait_for(events.HoldConfirmed, order_id=held, order_version=2)
    rejected = await bus.wait_for(events.HoldRejected, order_id=refused, order_version=2)
    assert confirmed.data["places"] == 2 and "refusées" in rejected.data["reason"]
    assert await stock_of(stock, departure["id"]) == {"capacity": 3, "held": 2, "overdue": 0, "confirmed": 0,
                                                      "free": 1}
