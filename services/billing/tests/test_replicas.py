"""Two billing processes on one database and one queue: invoice numbers stay continuous and unique."""
import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import aio_pika
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shared.testing import BusSpy, Infra, ServiceProcess, clean_up, config_for, eventually, migrated_database

ORDERS = 200


@pytest.fixture
async def isolated_bus(infra: Infra) -> AsyncIterator[BusSpy]:
    """A bus namespace of its own: no event left over by the other tests reaches these processes."""
    spy = BusSpy(replace(infra, namespace=f"{infra.namespace}replicas."))
    await spy.start()
    yield spy
    await spy.close()
    await clean_up(spy.infra)


async def test_two_processes_issue_200_invoices_numbered_1_to_200(infra, isolated_bus, invoicing, tmp_path):
    database = migrated_database(infra, "billing", "_replicas")
    processes = [ServiceProcess("billing", config_for(isolated_bus.infra, "billing", database), tmp_path)
                 for _ in range(2)]
    engine = create_async_engine(database)
    try:
        for process in processes:
            process.start()
        await asyncio.gather(*(process.wait_ready() for process in processes))
        await eventually(lambda: _consumers(isolated_bus, 2), timeout=30)

        requests = [invoicing() for _ in range(ORDERS)]
        await asyncio.gather(*(isolated_bus.publish(r, r.order_id, 1) for r in requests))
        await eventually(lambda: _invoice_count_is(engine, ORDERS), timeout=60, interval=0.2)

        async with engine.connect() as connection:
            rows = (await connection.execute(
                text("SELECT series, number, reference, order_id, issued_at FROM invoices ORDER BY number")
            )).all()
            last = (await connection.execute(text("SELECT series, last_number FROM number_series"))).all()
        assert [row.number for row in rows] == list(range(1, ORDERS + 1))
        assert len({row.series for row in rows}) == 1 and last == [(rows[0].series, ORDERS)]
        assert [row.reference for row in rows] == [f"{row.series}-{row.number:05d}" for row in rows]
        assert {row.order_id for row in rows} == {r.order_id for r in requests}
        assert [row.issued_at for row in rows] == sorted(row.issued_at for row in rows), "numbers follow dates"
        assert all(await asyncio.gather(*(_has_issued(process) for process in processes))), "both took part"
    finally:
        for process in processes:
            process.stop()
        await engine.dispose()


async def _consumers(bus: BusSpy, count: int) -> bool:
    """Both processes consume the service's queue; publishing earlier could find it not yet bound."""
    connection = await aio_pika.connect(bus.infra.amqp)
    async with connection:
        channel = await connection.channel()
        try:
            queue = await channel.declare_queue(f"{bus.infra.namespace}billing.events", passive=True)
        except aio_pika.exceptions.ChannelClosed:
            return False
        return queue.declaration_result.consumer_count == count


async def _invoice_count_is(engine: AsyncEngine, count: int) -> bool:
    async with engine.connect() as connection:
        return (await connection.scalar(text("SELECT count(*) FROM invoices"))) == count


async def _has_issued(process: ServiceProcess) -> bool:
    async with httpx.AsyncClient() as client:
        metrics = (await client.get(f"{process.url}/metrics")).text
    handled = [line for line in metrics.splitlines() if line.startswith("colo_events_handled_total{")
               and 'event_type="orders.invoicing.requested"' in line and 'outcome="ok"' in line]
    return bool(handled) and float(handled[0].rsplit(" ", 1)[1]) > 0
