"""The platform under concurrency and crashes: places never oversold, nothing lost."""
import asyncio

import httpx
import pytest

from shared.testing import auth, eventually

pytestmark = pytest.mark.e2e


async def test_fifty_concurrent_bookings_of_ten_places_give_ten_options(platform):
    """Across two orders and two stock processes: exactly 10 options, 40 refusals, stock equal to the orders."""
    clients, stock = platform.client("clients"), platform.client("stock")
    second_orders = await platform.start_replica("orders")
    await platform.start_replica("stock")
    stay = (await stock.post("/stays", json={"title": "Colonie du lac"})).json()
    departure = (await stock.post(f"/stays/{stay['id']}/departures", json={
        "start_date": "2027-08-01", "end_date": "2027-08-15", "capacity": 10, "base_price": "500.00"})).json()
    bookings = []
    for family in range(5):
        client = (await clients.post("/clients", json={
            "kind": "private", "last_name": f"Famille{family}", "email": f"famille{family}@example.fr"})).json()
        for child in range(10):
            participant = (await clients.post(f"/clients/{client['id']}/participants", json={
                "last_name": f"Famille{family}", "first_name": f"Enfant{child}"})).json()
            bookings.append((client["id"], participant["id"]))

    urls = [platform.processes["orders"].url, second_orders.url]
    async with httpx.AsyncClient(headers=auth("operator"), timeout=60) as http:
        responses = await asyncio.gather(*(
            http.post(f"{urls[i % 2]}/orders", json={"client_id": c, "departure_id": departure["id"],
                                                     "participant_ids": [p]})
            for i, (c, p) in enumerate(bookings)))
    assert [r.status_code for r in responses] == [201] * 50
    order_ids = {r.json()["id"] for r in responses}

    orders = platform.client("orders")

    async def settled():
        page = (await orders.get("/orders", params={"departure_id": departure["id"], "limit": 100})).json()
        statuses = [o["status"] for o in page["items"]]
        return statuses if "pending" not in statuses and len(statuses) == 50 else None

    statuses = await eventually(settled, timeout=60)
    assert statuses.count("option") == 10 and statuses.count("refused") == 40
    stock_now = (await stock.get(f"/departures/{departure['id']}")).json()["stock"]
    assert stock_now == {"capacity": 10, "held": 10, "overdue": 0, "confirmed": 0, "free": 0}
    holds = (await stock.get(f"/departures/{departure['id']}/holds", params={"limit": 100})).json()["items"]
    held_orders = {h["order_id"] for h in holds if h["state"] == "held"}
    page = (await orders.get("/orders", params={"departure_id": departure["id"], "status": "option",
                                                "limit": 100})).json()
    assert held_orders == {o["id"] for o in page["items"]} and held_orders <= order_ids


async def test_an_orders_process_killed_after_commit_still_gets_its_booking_through(platform):
    """SIGKILL right after the booking is committed: after restart the outbox is drained and the order held."""
    clients, stock = platform.client("clients"), platform.client("stock")
    stay = (await stock.post("/stays", json={"title": "Classe de mer"})).json()
    departure = (await stock.post(f"/stays/{stay['id']}/departures", json={
        "start_date": "2027-09-01", "end_date": "2027-09-05", "capacity": 5, "base_price": "300.00"})).json()
    client = (await clients.post("/clients", json={"kind": "private", "last_name": "Durand",
                                                   "email": "durand@example.fr"})).json()
    child = (await clients.post(f"/clients/{client['id']}/participants",
                                json={"last_name": "Durand", "first_name": "Noé"})).json()
    orders_process = platform.processes["orders"]
    async with platform.client("orders") as orders:
        placed = await orders.post("/orders", json={"client_id": client["id"], "departure_id": departure["id"],
                                                    "participant_ids": [child["id"]]})
    assert placed.status_code == 201
    orders_process.kill()
    orders_process.start()
    await orders_process.wait_ready()
    async with platform.client("orders") as orders:
        async def optioned():
            return (await orders.get(f"/orders/{placed.json()['id']}")).json()["status"] == "option"

        await eventually(optioned, timeout=60)
    assert (await stock.get(f"/departures/{departure['id']}")).json()["stock"]["held"] == 1
