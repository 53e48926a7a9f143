"""Two billing processes on one database and one queue: invoice numbers stay continuous and unique."""
import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shared import events
from shared.testing import eventually, handled_count, isolated_bus, migrated_database, replicas

ORDERS = 200


async def test_two_processes_issue_200_invoices_numbered_1_to_200(infra, invoicing, tmp_path):
    database = migrated_database(infra, "billing", "_replicas")
    engine = create_async_engine(database)
    async with isolated_bus(infra, "replicas") as bus, replicas(bus.infra, "billing", database, tmp_path) as processes:
        requests = [invoicing() for _ in range(ORDERS)]
        await asyncio.gather(*(bus.publish(r, r.order_id, 1) for r in requests))
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
        handled = await asyncio.gather(*(handled_count(p, events.InvoicingRequested) for p in processes))
        assert all(handled), f"both processes took part: {handled}"
    await engine.dispose()


async def _invoice_count_is(engine: AsyncEngine, count: int) -> bool:
    async with engine.connect() as connection:
        return (await connection.scalar(text("SELECT count(*) FROM invoices"))) == count
