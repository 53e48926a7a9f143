"""`make bench`: holds per second on one hot departure and spread over many, beside a bare UPDATE, in one run.

Colo's figure is the consumer's transaction for an `OrderPlaced`, without the broker: inbox row, version guard,
hold row, the conditional UPDATE of the departure, the HoldConfirmed outbox row and the commit, through
`stock.handlers.on_order_changed` and a real UnitOfWork. The floor is asyncpg alone running the same conditional
UPDATE, on the same scratch database, at the same concurrency. The hot case serialises on one row lock.
It prints figures; it never fails on a time.
"""
import asyncio
import os
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import asyncpg
from sqlalchemy.ext.asyncio import async_sessionmaker

from shared import events
from shared.clock import SystemClock
from shared.db import UnitOfWork, make_engine
from shared.migrations import drop_database, upgrade
from stock import handlers, services

HOLDS = 2000
CONCURRENCY = 16
SPREAD = 100  # departures in the spread case
BARE_UPDATE = "UPDATE departures SET held = held + 1 WHERE id = $1 AND capacity - held - overdue - confirmed >= 1"


async def rate(hold: Callable[[uuid.UUID], Awaitable[None]], departures: list[uuid.UUID]) -> float:
    """Holds per second, CONCURRENCY at a time, the departures taken in turn."""
    queue = asyncio.Queue[uuid.UUID]()
    for n in range(HOLDS):
        queue.put_nowait(departures[n % len(departures)])

    async def worker() -> None:
        while not queue.empty():
            await hold(queue.get_nowait())

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return HOLDS / (time.perf_counter() - started)


def colo_hold(sessions: async_sessionmaker) -> Callable[[uuid.UUID], Awaitable[None]]:
    clock = SystemClock()

    async def hold(departure_id: uuid.UUID) -> None:
        order_id = uuid.uuid4()
        event = events.OrderPlaced(
            order_id=order_id, reference="B000001", client_id=uuid.uuid4(), departure_id=departure_id,
            status="pending", places=1, participant_ids=[uuid.uuid4()], total=Decimal("500.00"),
            amount_paid=Decimal("0.00"), invoiced=False)
        envelope = events.Envelope(
            type=event.TYPE, version=event.VERSION, occurred_at=clock.now(), producer="orders",
            correlation_id=str(order_id), aggregate_type=event.AGGREGATE, aggregate_id=str(order_id),
            aggregate_version=1, data=event.model_dump(mode="json"))
        async with UnitOfWork(sessions, clock, "stock", envelope.correlation_id, str(envelope.id)) as uow:
            if await uow.first_delivery(handlers.CONSUMER, envelope):
                await handlers.on_order_changed(uow, event, envelope)
            await uow.commit()

    return hold


def bare_hold(pool: asyncpg.Pool) -> Callable[[uuid.UUID], Awaitable[None]]:
    async def hold(departure_id: uuid.UUID) -> None:
        await pool.execute(BARE_UPDATE, departure_id)

    return hold


async def departures(sessions: async_sessionmaker, count: int) -> list[uuid.UUID]:
    """Departures with more places than the run can take: every hold is confirmed."""
    async with UnitOfWork(sessions, SystemClock(), "stock") as uow:
        stay = await services.create_stay(uow, "Banc d'essai", "")
        ids = [(await services.add_departure(uow, stay.id, date(2027, 7, 1), date(2027, 7, 10), 10 * HOLDS,
                                             Decimal("500"))).id for _ in range(count)]
        await uow.commit()
    return ids


async def main() -> None:
    postgres = os.environ.get("COLO_TEST_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432")
    url = f"{postgres}/colo_bench_holds_{uuid.uuid4().hex[:6]}"
    print(f"Stock holds, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
          f"{HOLDS} holds of one place, {CONCURRENCY} at a time", flush=True)
    upgrade("stock", url)
    engine = make_engine(url, pool_size=CONCURRENCY)
    pool = await asyncpg.create_pool(url.replace("postgresql+asyncpg://", "postgresql://"),
                                     min_size=CONCURRENCY, max_size=CONCURRENCY)
    try:
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        cases = {"one hot departure": await departures(sessions, 1),
                 f"spread over {SPREAD} departures": await departures(sessions, SPREAD)}
        for name, ids in cases.items():
            colo = await rate(colo_hold(sessions), ids)
            bare = await rate(bare_hold(pool), ids)
            print(f"{name}: Colo {colo:,.0f} holds/s, bare UPDATE {bare:,.0f} /s ({colo / bare:.0%})", flush=True)
    finally:
        await pool.close()
        await engine.dispose()
        drop_database(url)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
