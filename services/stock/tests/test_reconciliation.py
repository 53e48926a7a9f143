"""Reconciliation: stored places against the holds they come from, after a storm of concurrent lifecycle events."""
import asyncio
import os
import random
import sys
import uuid
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared import events
from shared.events import ExtraQuantity
from shared.testing import BusSpy, auth, eventually
from stock import reports
from stock.app import StockSettings
from stock.reconcile import all_drifts, report

FLOWS = {
    "expired_then_archived": [(events.OrderOptionExpired, "option_expired"), (events.OrderArchived, "archived")],
    "validated": [(events.OrderOptioned, "option"), (events.OrderValidated, "validated")],
    "validated_then_cancelled": [(events.OrderValidated, "validated"), (events.OrderCancelled, "cancelled")],
    "expired": [(events.OrderOptioned, "option"), (events.OrderOptionExpired, "option_expired")],
    "expired_then_validated": [(events.OrderOptionExpired, "option_expired"), (events.OrderValidated, "validated")],
    "held": [],
    "grown_then_validated": [(events.OrderModified, "option"), (events.OrderValidated, "validated")],
    "validated_then_shrunk": [(events.OrderValidated, "validated"), (events.OrderModified, "validated")],
}
FINAL_BUCKET = {"expired_then_archived": None, "validated": "confirmed", "validated_then_cancelled": None,
                "expired": "overdue", "expired_then_validated": "confirmed", "held": "held",
                "grown_then_validated": "confirmed", "validated_then_shrunk": "confirmed"}
RESIZE = {"grown_then_validated": 2, "validated_then_shrunk": -1}
"""Participants a flow's modification adds (or removes); it may be refused, or arrive after a newer state."""
MODIFIED_VERSION = {flow: 2 + [cls for cls, _ in FLOWS[flow]].index(events.OrderModified) for flow in RESIZE}


async def make_departure(stock, capacity):
    stay = (await stock.post("/stays", json={"title": "Tempête"})).json()
    response = await stock.post(f"/stays/{stay['id']}/departures", json={
        "start_date": "2027-07-10", "end_date": "2027-07-24", "capacity": capacity, "base_price": "500"})
    return response.json()


def order_event(cls, departure_id, order_id, status, places, extra_id=None):
    """An order whose participants all take the departure's extra, when one is given."""
    extra = {"cancelled_by": "client"} if cls is events.OrderCancelled else {}
    extras = [ExtraQuantity(extra_id=extra_id, quantity=places)] if extra_id else []
    return cls(order_id=order_id, reference="C-1", client_id=uuid.uuid4(), departure_id=departure_id, status=status,
               places=places, participant_ids=[uuid.uuid4() for _ in range(places)], total=Decimal("500.00"),
               amount_paid=Decimal("0.00"), invoiced=False, extras=extras, **extra)


async def test_a_storm_of_concurrent_lifecycle_events_leaves_no_drift(stock, bus: BusSpy):
    rng = random.Random(4)
    departures = [await make_departure(stock, capacity) for capacity in (12, 15, 20)]
    kayaks = {}
    for departure in departures:
        kayaks[departure["id"]] = (await stock.post(f"/departures/{departure['id']}/extras", json={
            "label": "Kayak", "price": "30", "capacity": 6})).json()["id"]
    orders = [(uuid.uuid4(), rng.choice(departures)["id"], rng.randint(1, 3), rng.choice(sorted(FLOWS)))
              for _ in range(40)]
    kayaking = {o for o, *_ in orders if rng.random() < 0.5}

    def kayak(order_id, departure_id):
        return kayaks[departure_id] if order_id in kayaking else None

    await asyncio.gather(*(bus.publish(order_event(events.OrderPlaced, d, o, "pending", p, kayak(o, d)), o, 1)
                           for o, d, p, _ in orders))

    async def decided():
        return all(bus.of_type(events.HoldConfirmed, order_id=o) or bus.of_type(events.HoldRejected, order_id=o)
                   for o, *_ in orders)

    await eventually(decided, timeout=30)
    held = {o for o, *_ in orders if bus.of_type(events.HoldConfirmed, order_id=o)}
    assert held and len(held) < len(orders), "the storm should both fill departures and be refused places"

    # Every later event at once, each order's events in any order: the newest version decides.
    def places_at(p, flow, cls):
        return max(1, p + RESIZE[flow]) if cls is events.OrderModified else p

    await asyncio.gather(*(
        bus.publish(order_event(cls, d, o, status, places_at(p, flow, cls), kayak(o, d)), o, version)
        for o, d, p, flow in orders
        for version, (cls, status) in enumerate(FLOWS[flow], start=2)
    ))

    async def modifications_answered():
        return all(bus.of_type(events.HoldConfirmed, order_id=o, order_version=MODIFIED_VERSION[flow])
                   or bus.of_type(events.HoldRejected, order_id=o, order_version=MODIFIED_VERSION[flow])
                   for o, _, _, flow in orders if flow in RESIZE)

    await eventually(modifications_answered, timeout=30)
    expected = {d["id"]: {"capacity": d["stock"]["capacity"], "held": 0, "overdue": 0, "confirmed": 0}
                for d in departures}
    for o, d, p, flow in orders:
        if flow in RESIZE and bus.of_type(events.HoldConfirmed, order_id=o, order_version=MODIFIED_VERSION[flow]):
            p = places_at(p, flow, events.OrderModified)
        if o in held and FINAL_BUCKET[flow]:
            expected[d][FINAL_BUCKET[flow]] += p
    for stock_of in expected.values():
        stock_of["free"] = stock_of["capacity"] - stock_of["held"] - stock_of["overdue"] - stock_of["confirmed"]

    async def settled():
        actual = {d: (await stock.get(f"/departures/{d}")).json()["stock"] for d in expected}
        return actual == expected

    await eventually(settled, timeout=30)
    assert (await stock.get("/reconciliation")).json() == {"items": [], "next_cursor": None}
    assert (await stock.get("/reconciliation/extras")).json() == {"items": [], "next_cursor": None}


async def test_a_drift_is_reported_by_the_api_and_the_ops_command(stock, stock_db):
    clean = await make_departure(stock, 10)
    drifting = await make_departure(stock, 10)
    engine = create_async_engine(stock_db)
    extra = (await stock.post(f"/departures/{clean['id']}/extras",
                              json={"label": "Kayak", "price": "10", "capacity": 5})).json()
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE departures SET held = 2 WHERE id = :id"), {"id": drifting["id"]})
        await connection.execute(text("UPDATE extras SET confirmed = 1 WHERE id = :id"), {"id": extra["id"]})
    await engine.dispose()

    drifts = (await stock.get("/reconciliation")).json()["items"]
    assert [d["departure_id"] for d in drifts] == [drifting["id"]]
    assert drifts[0]["stored"]["held"] == 2 and drifts[0]["recomputed"]["held"] == 0
    assert drifts[0]["recomputed"]["free"] == 10
    assert clean["id"] not in {d["departure_id"] for d in drifts}

    extras = (await stock.get("/reconciliation/extras")).json()["items"]
    assert extras == [{"extra_id": extra["id"], "departure_id": clean["id"],
                       "stored": {"held": 0, "overdue": 0, "confirmed": 1},
                       "recomputed": {"held": 0, "overdue": 0, "confirmed": 0}}]

    found = await all_drifts(StockSettings(database_url=stock_db))
    assert "held 2 -> 0" in report(found) and drifting["id"] in report(found)
    assert f"extra {extra['id']}" in report(found) and "confirmed 1 -> 0" in report(found)
    command = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "stock.reconcile",
        env={**os.environ, "COLO_DATABASE_URL": stock_db, "COLO_ENVIRONMENT": "development"},
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await command.communicate()
    assert command.returncode == 1 and drifting["id"] in out.decode()


def test_the_report_says_so_when_nothing_drifts():
    assert "no drift" in report([])


async def test_a_hold_of_an_order_unknown_to_orders_is_reported_and_an_operator_releases_it(stock, bus: BusSpy,
                                                                                              orders, monkeypatch):
    monkeypatch.setattr(reports, "BATCH", 2)
    departure = await make_departure(stock, 3)
    real, ghost, other_ghost, archived = (uuid.uuid4() for _ in range(4))
    orders.existing |= {real, archived}
    kayak = (await stock.post(f"/departures/{departure['id']}/extras", json={
        "label": "Kayak", "price": "30", "capacity": 2})).json()["id"]
    for order_id, places, extra in ((real, 1, None), (ghost, 1, kayak), (other_ghost, 1, None), (archived, 0, None)):
        if places:
            await bus.publish(order_event(events.OrderPlaced, departure["id"], order_id, "pending", places, extra),
                              order_id, 1)
            await bus.wait_for(events.HoldConfirmed, order_id=order_id)
    assert (await stock.get(f"/departures/{departure['id']}")).json()["stock"]["free"] == 0
    full = bus.of_type(events.DepartureFull, departure_id=departure["id"])
    assert full

    page = await stock.get("/reconciliation/holds", params={"limit": 1})
    assert page.status_code == 200, page.text
    second = await stock.get("/reconciliation/holds", params={"limit": 1, "cursor": page.json()["next_cursor"]})
    listed = page.json()["items"] + second.json()["items"]
    assert {h["order_id"] for h in listed} == {str(ghost), str(other_ghost)} and second.json()["next_cursor"] is None
    assert all(len(asked) <= 2 for asked in orders.asked), "orders is asked in batches"
    assert listed[0]["departure_id"] == departure["id"] and listed[0]["places"] == 1

    known = await stock.post(f"/holds/{real}/release")
    assert known.status_code == 409 and known.json()["code"] == "order_known"
    assert (await stock.post(f"/holds/{ghost}/release", headers=auth("accountant"))).status_code == 403
    assert (await stock.post(f"/holds/{uuid.uuid4()}/release")).status_code == 404
    released = await stock.post(f"/holds/{ghost}/release")
    assert released.status_code == 200, released.text
    assert released.json()["state"] == "released" and released.json()["order_id"] == str(ghost)
    places = (await stock.get(f"/departures/{departure['id']}")).json()["stock"]
    assert (places["held"], places["free"]) == (2, 1)
    assert (await stock.get(f"/departures/{departure['id']}/extras")).json()["items"][0]["held"] == 0
    await bus.wait_for(events.DepartureReopened, departure_id=departure["id"])
    again = await stock.post(f"/holds/{ghost}/release")
    assert again.status_code == 409 and again.json()["code"] == "nothing_held"
    assert [h["order_id"] for h in (await stock.get("/reconciliation/holds")).json()["items"]] == [str(other_ghost)]
    assert (await stock.get("/reconciliation")).json()["items"] == []


async def test_the_ops_command_reports_the_holds_of_unknown_orders(stock, stock_db, bus: BusSpy, orders):
    departure = await make_departure(stock, 5)
    ghost = uuid.uuid4()
    await bus.publish(order_event(events.OrderPlaced, departure["id"], ghost, "pending", 2), ghost, 1)
    await bus.wait_for(events.HoldConfirmed, order_id=ghost)
    found = await all_drifts(StockSettings(database_url=stock_db), orders)
    assert f"order {ghost} on departure {departure['id']}: 2 place(s) held" in report(found)
    orders.existing.add(ghost)
    assert await all_drifts(StockSettings(database_url=stock_db), orders) == []
