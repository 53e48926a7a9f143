"""Places under any delivery of order lifecycle events: out of order, duplicated, racing for the last places.

One scenario runner drives two systems: the pure model over `stock.domain.places`, and the real handler
with its SQL on the test database. Orders only publish what follows `pending` once stock has decided the
hold (that is how the saga works), so each order's first event is applied before its later ones; everything
else (interleaving between orders, redeliveries, later versions overtaking earlier ones) is left to Hypothesis.
"""
import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import async_sessionmaker

from shared import events
from shared.clock import SystemClock
from shared.db import UnitOfWork, make_engine
from shared.events import Envelope
from stock import handlers, services
from stock.domain.places import ORDER_STATUS_TO_STATE, Bucket, HoldState, Stock, transition
from stock.tables import Departure, Hold

NEXT_STATUSES = {
    "option": ("option_expired", "validated", "archived"),
    "option_expired": ("option", "validated", "archived"),
    "validated": ("cancelled",),
}
"""The order lifecycle after a confirmed hold (orders.domain.lifecycle), as stock sees it."""

EVENT_OF = {
    "pending": events.OrderPlaced, "option": events.OrderOptioned, "refused": events.OrderRefused,
    "option_expired": events.OrderOptionExpired, "validated": events.OrderValidated,
    "archived": events.OrderArchived, "cancelled": events.OrderCancelled,
}


@dataclass
class Order:
    id: uuid.UUID
    places: int
    path_if_held: list[str]
    statuses: list[str] = field(default_factory=lambda: ["pending"])
    """Status of each version, from version 1; grows once the hold is decided."""


@st.composite
def orders(draw) -> list[Order]:
    result = []
    for _ in range(draw(st.integers(1, 4))):
        path = ["option"]
        for _ in range(draw(st.integers(0, 4))):
            if path[-1] not in NEXT_STATUSES:
                break
            path.append(draw(st.sampled_from(NEXT_STATUSES[path[-1]])))
        result.append(Order(uuid.uuid4(), draw(st.integers(1, 3)), path))
    return result


class Model:
    """The hold rules of stock.services, over the pure domain: one departure, applied versions, hold states."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.buckets = {b: 0 for b in Bucket}
        self.versions: dict[uuid.UUID, int] = {}
        self.holds: dict[uuid.UUID, HoldState] = {}

    async def deliver(self, order: Order, version: int) -> None:
        if version <= self.versions.get(order.id, 0):
            return
        self.versions[order.id] = version
        status = order.statuses[version - 1]
        hold = self.holds.get(order.id)
        if hold is None:
            if status == "pending":
                held = (await self.stock()).free >= order.places
                self.holds[order.id] = HoldState.HELD if held else HoldState.REJECTED
                self.buckets[Bucket.HELD] += order.places if held else 0
            return
        move = transition(hold, status)
        if move is None:
            return
        source, target = move
        if source:
            self.buckets[source] -= order.places
        if target:
            self.buckets[target] += order.places
        self.holds[order.id] = HoldState(target.value) if target else HoldState.RELEASED

    async def hold_state(self, order: Order) -> HoldState | None:
        return self.holds.get(order.id)

    async def stock(self) -> Stock:
        return Stock(self.capacity, *(self.buckets[b] for b in (Bucket.HELD, Bucket.OVERDUE, Bucket.CONFIRMED)))


class RealStock:
    """The stock handler on the test database, one transaction per delivery as the consumer runs it."""

    def __init__(self, sessions: async_sessionmaker, departure_id: uuid.UUID) -> None:
        self.sessions = sessions
        self.departure_id = departure_id

    async def deliver(self, order: Order, version: int) -> None:
        status = order.statuses[version - 1]
        extra = {"cancelled_by": "client"} if status == "cancelled" else {}
        event = EVENT_OF[status](
            order_id=order.id, reference="C-1", client_id=uuid.uuid4(), departure_id=self.departure_id,
            status=status, places=order.places, participant_ids=[uuid.uuid4() for _ in range(order.places)],
            total=Decimal("500.00"), amount_paid=Decimal("0.00"), invoiced=False, **extra)
        envelope = Envelope(type=event.TYPE, version=event.VERSION, occurred_at=SystemClock().now(), producer="orders",
                            correlation_id=str(order.id), aggregate_type=event.AGGREGATE,
                            aggregate_id=str(order.id), aggregate_version=version, data=event.model_dump(mode="json"))
        async with UnitOfWork(self.sessions, SystemClock(), "stock") as uow:
            await handlers.on_order_changed(uow, event, envelope)
            await uow.commit()

    async def hold_state(self, order: Order) -> HoldState | None:
        async with self.sessions() as session:
            hold = await session.get(Hold, order.id)
            return HoldState(hold.state) if hold else None

    async def stock(self) -> Stock:
        async with self.sessions() as session:
            return services.stock_of(await session.get(Departure, self.departure_id))


async def play(data, system: Model | RealStock, capacity: int, scenario: list[Order]) -> None:
    """Deliver every published event at least once, in a drawn order with drawn redeliveries; check as it goes."""
    published = [(i, 1) for i in range(len(scenario))]
    delivered: set[tuple[int, int]] = set()
    while undelivered := [e for e in published if e not in delivered]:
        if delivered and data.draw(st.booleans(), label="redeliver"):
            index, version = data.draw(st.sampled_from(sorted(delivered)), label="duplicate")
        else:
            index, version = data.draw(st.sampled_from(undelivered), label="event")
        order = scenario[index]
        await system.deliver(order, version)
        delivered.add((index, version))
        if version == 1 and len(order.statuses) == 1:
            state = await system.hold_state(order)
            assert state in (HoldState.HELD, HoldState.REJECTED), "a placed order is decided at once"
            order.statuses += order.path_if_held if state == HoldState.HELD else ["refused"]
            published += [(index, v) for v in range(2, len(order.statuses) + 1)]
        stock = await system.stock()
        assert stock.free + stock.held + stock.overdue + stock.confirmed == capacity
        assert min(stock.free, stock.held, stock.overdue, stock.confirmed) >= 0, stock

    expected = {b: 0 for b in Bucket}
    for order in scenario:
        bucket = ORDER_STATUS_TO_STATE[order.statuses[-1]].bucket
        if bucket:
            expected[bucket] += order.places
    assert await system.stock() == Stock(capacity, expected[Bucket.HELD], expected[Bucket.OVERDUE],
                                         expected[Bucket.CONFIRMED])


@given(st.data(), st.integers(1, 6), orders())
def test_the_model_ends_in_the_buckets_of_the_newest_order_states(data, capacity, scenario):
    asyncio.run(play(data, Model(capacity), capacity, scenario))


@settings(max_examples=15, deadline=None)
@given(st.data(), st.integers(1, 6), orders())
def test_the_real_handler_ends_in_the_buckets_of_the_newest_order_states(stock_db, data, capacity, scenario):
    async def scenario_on_database() -> None:
        engine = make_engine(stock_db, pool_size=2)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        try:
            async with UnitOfWork(sessions, SystemClock(), "stock") as uow:
                stay = await services.create_stay(uow, "Propriétés", "")
                departure = await services.add_departure(uow, stay.id, date(2027, 7, 1), date(2027, 7, 10),
                                                         capacity, Decimal("500"))
                await uow.commit()
            await play(data, RealStock(sessions, departure.id), capacity, scenario)
        finally:
            await engine.dispose()

    asyncio.run(scenario_on_database())
