"""500 bookings race for the last 37 places through two stock processes: never oversold, every one answered,
and the departure announced full once."""
import asyncio
import uuid
from decimal import Decimal

import httpx

from shared import events
from shared.testing import BusSpy, auth, eventually, handled_count, isolated_bus, migrated_database, replicas

BOOKINGS = 500
PLACES = 37


async def test_two_processes_hold_exactly_the_last_places(infra, tmp_path):
    database = migrated_database(infra, "stock", "_holds")
    async with isolated_bus(infra, "holds") as bus, replicas(bus.infra, "stock", database, tmp_path) as processes:
        async with httpx.AsyncClient(base_url=processes[0].url, headers=auth(), timeout=30) as api:
            stay = (await api.post("/stays", json={"title": "Dernières places"})).json()
            departure = (await api.post(f"/stays/{stay['id']}/departures", json={
                "start_date": "2027-07-10", "end_date": "2027-07-24", "capacity": PLACES,
                "base_price": "500"})).json()

            orders = [uuid.uuid4() for _ in range(BOOKINGS)]
            await asyncio.gather(*(bus.publish(events.OrderPlaced(
                order_id=o, reference=f"C{n:06d}", client_id=uuid.uuid4(), departure_id=departure["id"],
                status="pending", places=1, participant_ids=[uuid.uuid4()], total=Decimal("500.00"),
                amount_paid=Decimal("0.00"), invoiced=False), o, 1) for n, o in enumerate(orders)))

            async def answered() -> bool:
                return len(_answers(bus, events.HoldConfirmed) | _answers(bus, events.HoldRejected)) \
                    == BOOKINGS

            await eventually(answered, timeout=60, interval=0.2)
            confirmed = _answers(bus, events.HoldConfirmed)
            rejected = _answers(bus, events.HoldRejected)
            assert len(confirmed) == PLACES and len(rejected) == BOOKINGS - PLACES
            assert confirmed | rejected == set(map(str, orders)) and not confirmed & rejected
            stock = (await api.get(f"/departures/{departure['id']}")).json()["stock"]
            assert stock == {"capacity": PLACES, "held": PLACES, "overdue": 0, "confirmed": 0, "free": 0}
            await bus.wait_for(events.DepartureFull, departure_id=departure["id"])
            assert len(bus.of_type(events.DepartureFull, departure_id=departure["id"])) == 1
        handled = await asyncio.gather(*(handled_count(p, events.OrderPlaced) for p in processes))
        assert sum(handled) >= BOOKINGS and all(handled), f"both processes took part: {handled}"


def _answers(bus: BusSpy, event: type[events.Event]) -> set[str]:
    return {e.data["order_id"] for e in bus.of_type(event)}
