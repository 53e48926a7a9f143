"""500 bookings race for the last 37 places through two stock processes: never oversold, every one answered,
and the departure announced full once."""
import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from decimal import Decimal

import aio_pika
import httpx
import pytest

from shared import events
from shared.testing import BusSpy, Infra, ServiceProcess, auth, clean_up, config_for, eventually, migrated_database

BOOKINGS = 500
PLACES = 37


@pytest.fixture
async def isolated_bus(infra: Infra) -> AsyncIterator[BusSpy]:
    """A bus namespace of its own: no event left over by the other tests reaches these processes."""
    spy = BusSpy(replace(infra, namespace=f"{infra.namespace}holds."))
    await spy.start()
    yield spy
    await spy.close()
    await clean_up(spy.infra)


async def test_two_processes_hold_exactly_the_last_places(infra, isolated_bus, tmp_path):
    database = migrated_database(infra, "stock", "_holds")
    processes = [ServiceProcess("stock", config_for(isolated_bus.infra, "stock", database), tmp_path)
                 for _ in range(2)]
    try:
        for process in processes:
            process.start()
        await asyncio.gather(*(process.wait_ready() for process in processes))
        await eventually(lambda: _consumers(isolated_bus, 2), timeout=30)
        async with httpx.AsyncClient(base_url=processes[0].url, headers=auth(), timeout=30) as api:
            stay = (await api.post("/stays", json={"title": "Dernières places"})).json()
            departure = (await api.post(f"/stays/{stay['id']}/departures", json={
                "start_date": "2027-07-10", "end_date": "2027-07-24", "capacity": PLACES,
                "base_price": "500"})).json()

            orders = [uuid.uuid4() for _ in range(BOOKINGS)]
            await asyncio.gather(*(isolated_bus.publish(events.OrderPlaced(
                order_id=o, reference=f"C{n:06d}", client_id=uuid.uuid4(), departure_id=departure["id"],
                status="pending", places=1, participant_ids=[uuid.uuid4()], total=Decimal("500.00"),
                amount_paid=Decimal("0.00"), invoiced=False), o, 1) for n, o in enumerate(orders)))

            async def answered() -> bool:
                return len(_answers(isolated_bus, events.HoldConfirmed) | _answers(isolated_bus, events.HoldRejected)) \
                    == BOOKINGS

            await eventually(answered, timeout=60, interval=0.2)
            confirmed = _answers(isolated_bus, events.HoldConfirmed)
            rejected = _answers(isolated_bus, events.HoldRejected)
            assert len(confirmed) == PLACES and len(rejected) == BOOKINGS - PLACES
            assert confirmed | rejected == set(map(str, orders)) and not confirmed & rejected
            stock = (await api.get(f"/departures/{departure['id']}")).json()["stock"]
            assert stock == {"capacity": PLACES, "held": PLACES, "overdue": 0, "confirmed": 0, "free": 0}
            await isolated_bus.wait_for(events.DepartureFull, departure_id=departure["id"])
            assert len(isolated_bus.of_type(events.DepartureFull, departure_id=departure["id"])) == 1
        handled = await asyncio.gather(*(_placed_handled(process) for process in processes))
        assert sum(handled) >= BOOKINGS and all(handled), f"both processes took part: {handled}"
    finally:
        for process in processes:
            process.stop()


def _answers(bus: BusSpy, event: type[events.Event]) -> set[str]:
    return {e.data["order_id"] for e in bus.of_type(event)}


async def _consumers(bus: BusSpy, count: int) -> bool:
    """Both processes consume the service's queue; publishing earlier could find it not yet bound."""
    connection = await aio_pika.connect(bus.infra.amqp)
    async with connection:
        channel = await connection.channel()
        try:
            queue = await channel.declare_queue(f"{bus.infra.namespace}stock.events", passive=True)
        except aio_pika.exceptions.ChannelClosed:
            return False
        return queue.declaration_result.consumer_count == count


async def _placed_handled(process: ServiceProcess) -> int:
    """OrderPlaced events this process applied, from its /metrics."""
    async with httpx.AsyncClient() as client:
        metrics = (await client.get(f"{process.url}/metrics")).text
    handled = [line for line in metrics.splitlines() if line.startswith("colo_events_handled_total{")
               and 'event_type="orders.order.placed"' in line and 'outcome="ok"' in line]
    return int(float(handled[0].rsplit(" ", 1)[1])) if handled else 0
