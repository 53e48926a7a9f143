"""Places under any delivery of order lifecycle events and modifications: out of order, duplicated, racing for
the last places.

One scenario runner drives two systems: the pure model over `stock.domain.places`, and the real handler
with its SQL on the test database. Orders only publish what follows `pending` once stock has decided the
hold (that is how the saga works), so each order's first event is applied before its later ones; everything
else (interleaving between orders, redeliveries, later versions overtaking earlier ones) is left to Hypothesis.
Some orders are sold through a reseller: they take places only once validated, and may be refused then.
"""
import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from shared import events
from shared.clock import SystemClock
from shared.db import OutboxRow, UnitOfWork, make_engine
from shared.events import Envelope
from stock import handlers, resellers, services
from stock.domain.places import ORDER_STATUS_TO_STATE, Bucket, HoldState, Stock, transition
from stock.tables import Departure, Hold

NEXT_STATUSES = {
    "option": ("option_expired", "validated", "archived", "modified"),
    "option_expired": ("option", "validated", "archived", "modified"),
    "validated": ("cancelled", "modified"),
}
"""The order lifecycle after a confirmed hold (orders.domain.lifecycle), as stock sees it; a modification
changes the participant count and keeps the status."""

EVENT_OF = {
    "pending": events.OrderPlaced, "option": events.OrderOptioned, "refused": events.OrderRefused,
    "option_expired": events.OrderOptionExpired, "validated": events.OrderValidated,
    "archived": events.OrderArchived, "cancelled": events.OrderCancelled,
}


@dataclass(frozen=True)
class Step:
    status: str
    modified_to: int | None = None
    """Set on a modification: the participant count asked for."""


@dataclass
class Order:
    id: uuid.UUID
    places: int
    path_if_held: list[Step]
    resold: bool = False
    """Sold through a reseller: its places are taken only once validated."""
    steps: list[Step] = field(default_factory=lambda: [Step("pending")])
    """The order event of each version, from version 1; grows once the hold is decided."""


@st.composite
def orders(draw) -> list[Order]:
    result = []
    for _ in range(draw(st.integers(1, 4))):
        path = [Step("option")]
        for _ in range(draw(st.integers(0, 5))):
            status = path[-1].status
            if status not in NEXT_STATUSES:
                break
            following = draw(st.sampled_from(NEXT_STATUSES[status]))
            path.append(Step(status, draw(st.integers(1, 4))) if following == "modified" else Step(following))
        result.append(Order(uuid.uuid4(), draw(st.integers(1, 3)), path, draw(st.booleans())))
    return result


class Model:
    """The hold rules of stock.holds, over the pure domain: one departure, applied versions, hold states."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.buckets = {b: 0 for b in Bucket}
        self.versions: dict[uuid.UUID, int] = {}
        self.holds: dict[uuid.UUID, HoldState] = {}
        self.places: dict[uuid.UUID, int] = {}
        self.answers: dict[tuple[uuid.UUID, int], bool] = {}

    async def deliver(self, order: Order, version: int) -> None:
        step = order.steps[version - 1]
        if version <= self.versions.get(order.id, 0):
            if step.modified_to is not None:
                self.answers[(order.id, version)] = False
            return
        self.versions[order.id] = version
        hold = self.holds.get(order.id)
        if step.modified_to is not None:
            accepted = self._modify(order.id, hold, step)
            self.answers[(order.id, version)] = accepted
            if not accepted and hold is not None:
                self._follow(order.id, hold, step.status)
            return
        if hold is None:
            if step.status == "pending":
                held = self._free() >= order.places
                self.holds[order.id] = (HoldState.DEFERRED if order.resold else HoldState.HELD) if held \
                    else HoldState.REJECTED
                self.places[order.id] = order.places
                self.buckets[Bucket.HELD] += order.places if held and not order.resold else 0
            return
        self._follow(order.id, hold, step.status)

    def _free(self) -> int:
        return self.capacity - sum(self.buckets.values())

    def _follow(self, order_id: uuid.UUID, hold: HoldState, status: str) -> None:
        move = transition(hold, status)
        if move is None:
            return
        source, target = move
        if source is None and target is not None and self._free() < self.places[order_id]:
            self.holds[order_id] = HoldState.REJECTED
            return
        if source:
            self.buckets[source] -= self.places[order_id]
        if target:
            self.buckets[target] += self.places[order_id]
        self.holds[order_id] = HoldState(target.value) if target else HoldState.RELEASED

    def _modify(self, order_id: uuid.UUID, hold: HoldState | None, step: Step) -> bool:
        """The new count, in the bucket of the status the modification carries (it may be newer than the hold's)."""
        if hold is None or hold in (HoldState.RELEASED, HoldState.REJECTED) or step.modified_to is None:
            return False
        move = transition(hold, step.status)
        target = hold if move is None else HoldState(move[1].value) if move[1] else HoldState.RELEASED
        if target == HoldState.RELEASED:
            return False
        old, new = self.places[order_id], step.modified_to
        if new - (old if hold.bucket else 0) > self._free():
            return False
        if hold.bucket:
            self.buckets[hold.bucket] -= old
        if target.bucket:
            self.buckets[target.bucket] += new
        self.holds[order_id], self.places[order_id] = target, new
        return True

    async def accepted(self, order: Order, version: int) -> bool:
        return self.answers[(order.id, version)]

    async def hold_state(self, order: Order) -> HoldState | None:
        return self.holds.get(order.id)

    async def stock(self) -> Stock:
        return Stock(self.capacity, *(self.buckets[b] for b in (Bucket.HELD, Bucket.OVERDUE, Bucket.CONFIRMED)))


class RealStock:
    """The stock handlers on the test database, one transaction per delivery as the consumer runs them."""

    def __init__(self, sessions: async_sessionmaker, departure_id: uuid.UUID, reseller_id: uuid.UUID) -> None:
        self.sessions = sessions
        self.departure_id = departure_id
        self.reseller_id = reseller_id

    async def deliver(self, order: Order, version: int) -> None:
        step = order.steps[version - 1]
        extra = {"cancelled_by": "client"} if step.status == "cancelled" else {}
        places = order.places if step.modified_to is None else step.modified_to
        cls = events.OrderModified if step.modified_to is not None else EVENT_OF[step.status]
        event = cls(
            order_id=order.id, reference="C-1", client_id=uuid.uuid4(), departure_id=self.departure_id,
            status=step.status, places=places, participant_ids=[uuid.uuid4() for _ in range(places)],
            total=Decimal("500.00"), amount_paid=Decimal("0.00"), invoiced=False,
            reseller_id=self.reseller_id if order.resold else None, **extra)
        envelope = Envelope(type=event.TYPE, version=event.VERSION, occurred_at=SystemClock().now(), producer="orders",
                            correlation_id=str(order.id), aggregate_type=event.AGGREGATE,
                            aggregate_id=str(order.id), aggregate_version=version, data=event.model_dump(mode="json"))
        async with UnitOfWork(self.sessions, SystemClock(), "stock") as uow:
            await handlers.HANDLERS[cls](uow, event, envelope)
            await uow.commit()

    async def accepted(self, order: Order, version: int) -> bool:
        """The answer stock wrote to its outbox for this version of the order."""
        async with self.sessions() as session:
            (answer,) = (await session.scalars(select(OutboxRow.routing_key).where(
                OutboxRow.aggregate_type == "hold", OutboxRow.aggregate_id == str(order.id),
                OutboxRow.envelope["aggregate_version"].as_integer() == version))).all()
            return answer == events.HoldConfirmed.routing_key()

    async def hold_state(self, order: Order) -> HoldState | None:
        async with self.sessions() as session:
            hold = await session.get(Hold, order.id)
            return HoldState(hold.state) if hold else None

    async def stock(self) -> Stock:
        async with self.sessions() as session:
            return services.stock_of(await session.get(Departure, self.departure_id))


async def play(data, system: Model | RealStock, capacity: int, scenario: list[Order]) -> None:
    """Deliver every published event at least once, in a drawn order with drawn redeliveries; check as it goes.

    A redelivery is the same envelope again, which the consumer's inbox drops; so a modification is answered
    once, on its first delivery.
    """
    published = [(i, 1) for i in range(len(scenario))]
    delivered: set[tuple[int, int]] = set()
    while undelivered := [e for e in published if e not in delivered]:
        replayable = sorted(e for e in delivered if scenario[e[0]].steps[e[1] - 1].modified_to is None)
        if replayable and data.draw(st.booleans(), label="redeliver"):
            index, version = data.draw(st.sampled_from(replayable), label="duplicate")
        else:
            index, version = data.draw(st.sampled_from(undelivered), label="event")
        order = scenario[index]
        await system.deliver(order, version)
        delivered.add((index, version))
        if version == 1 and len(order.steps) == 1:
            state = await system.hold_state(order)
            assert state in (HoldState.HELD, HoldState.DEFERRED, HoldState.REJECTED), "decided at once"
            order.steps += order.path_if_held if state != HoldState.REJECTED else [Step("refused")]
            published += [(index, v) for v in range(2, len(order.steps) + 1)]
        stock = await system.stock()
        assert stock.free + stock.held + stock.overdue + stock.confirmed == capacity
        assert min(stock.free, stock.held, stock.overdue, stock.confirmed) >= 0, stock

    expected = {b: 0 for b in Bucket}
    for order in scenario:
        places = order.places
        for version, step in enumerate(order.steps, start=1):
            if step.modified_to is not None and await system.accepted(order, version):
                places = step.modified_to
        bucket = ORDER_STATUS_TO_STATE[order.steps[-1].status].bucket
        if order.resold and bucket != Bucket.CONFIRMED:
            continue
        if bucket and await system.hold_state(order) != HoldState.REJECTED:
            expected[bucket] += places
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
                reseller = events.ClientCreated(client_id=uuid.uuid4(), kind="professional", display_name="Revendeur",
                                                markup=Decimal(10))
                await resellers.record_client(uow, reseller, deleted=False)
                await resellers.assign(uow, reseller.client_id, resellers.Scope(everything=True), None)
                await uow.commit()
            await play(data, RealStock(sessions, departure.id, reseller.client_id), capacity, scenario)
        finally:
            await engine.dispose()

    asyncio.run(scenario_on_database())
