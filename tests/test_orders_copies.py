"""Orders books from its own copies of clients and stock: fed by their events, filled again by the back-fill after
being wiped, enough to take a booking while clients and stock are both stopped; the booking reaches its option once
stock is back."""
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.testing import backfill, eventually

from .test_story import create_family, until
from .test_story_payments import departure_of

pytestmark = pytest.mark.e2e

COPIES = ("client_copies", "client_type_copies", "departure_copies", "reseller_assignment_copies",
          "commercial_settings_copies")


async def stopped_owners_book(platform, booking):
    """Stop clients and stock, place the booking, start them again; orders' answer."""
    owners = [platform.processes[name] for name in ("clients", "stock")]
    for process in owners:
        process.stop()
    try:
        async with platform.client("orders") as orders:
            return await orders.post("/orders", json=booking)
    finally:
        for process in owners:
            process.start()
        for process in owners:
            await process.wait_ready()


async def test_orders_books_from_its_copies_while_clients_and_stock_are_stopped(platform):
    clients, stock, orders = platform.client("clients"), platform.client("stock"), platform.client("orders")
    stay_id, departure_id = await departure_of(stock, "Camp du lac", date(2027, 7, 5), "500.00")
    lyon = (await stock.post(f"/departures/{departure_id}/cities", json={"city": "Lyon", "fare": "60.00"})).json()
    canoe = (await stock.post(f"/departures/{departure_id}/extras", json={"label": "Canoë", "price": "40.00"})).json()
    family_id, (child,) = await create_family(clients, "famille.copies@example.fr", 1)
    guardian = await clients.post(f"/clients/{family_id}/legal-guardians",
                                  json={"last_name": "Martin", "first_name": "Paul"})
    assert guardian.status_code == 201, guardian.text
    renamed = await stock.patch(f"/stays/{stay_id}", json={"title": "Camp du lac d'Annecy"})
    assert renamed.status_code == 200, renamed.text
    disputed = await clients.patch(f"/clients/{family_id}", json={"disputed": True})
    assert disputed.status_code == 200, disputed.text

    engine = create_async_engine(platform.processes["orders"].env["COLO_DATABASE_URL"])

    async def copies_caught_up() -> bool:
        async with engine.connect() as connection:
            title = await connection.scalar(text(
                "SELECT stay_title FROM departure_copies WHERE departure_id = :d "
                "AND jsonb_array_length(catalogue->'cities') = 1 AND jsonb_array_length(catalogue->'extras') = 1"),
                {"d": departure_id})
            disputed = await connection.scalar(text(
                "SELECT disputed FROM client_copies WHERE client_id = :c "
                "AND jsonb_array_length(legal_guardians) = 1 AND jsonb_array_length(participants) = 1"),
                {"c": family_id})
        return title == "Camp du lac d'Annecy" and disputed is True

    booking = {"client_id": family_id, "departure_id": departure_id, "participants": [
        {"participant_id": child, "outbound_city_id": lyon["id"], "extra_ids": [canoe["id"]],
         "legal_guardian_id": guardian.json()["id"]}]}
    try:
        await eventually(copies_caught_up)
        first = await stopped_owners_book(platform, booking)
        assert first.status_code == 201, first.text
        placed = first.json()
        assert placed["total"] == "600.00"  # 500 € + Lyon's round trip 60 € + the canoe 40 €
        assert "Camp du lac d'Annecy" in placed["lines"][0]["label"], "the stay's new title, from stock's event"
        assert placed["client_disputed"], "the client's flag, from clients' event"
        assert placed["participants"][0]["legal_guardian_name"] == "Paul Martin"
        await until(orders, f"/orders/{placed['id']}", lambda o: o["status"] == "option")

        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {', '.join(COPIES)}"))
        await backfill(platform.processes["orders"])
        assert await copies_caught_up(), "the back-fill gives back what the events had given"
        second = await stopped_owners_book(platform, booking)
        assert second.status_code == 201, second.text
        again = second.json()
        assert [(line["label"], line["amount"]) for line in again["lines"]] == [
            (line["label"], line["amount"]) for line in placed["lines"]]
        assert (again["total"], again["client_disputed"], again["participants"][0]["legal_guardian_name"]) == (
            placed["total"], True, "Paul Martin")
        await until(orders, f"/orders/{again['id']}", lambda o: o["status"] == "option")
    finally:
        await engine.dispose()
