"""Lost events are re-driven: an order whose placement never reached stock becomes an option, and an invoicing request
that never reached billing gets its invoice, once orders' job announces them again after its delay (10 minutes).

An event is lost the way a faulty relay would lose it: its outbox row is written already marked sent, so it is
never published."""
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared import events

from .test_story import until

pytestmark = pytest.mark.e2e
LATE = timedelta(minutes=10, seconds=5)


@asynccontextmanager
async def lost(platform, event: type[events.Event], key: str, value: str) -> AsyncIterator[None]:
    """While inside, the event whose data has `key` equal to `value` is committed but never published."""
    engine = create_async_engine(platform.processes["orders"].env["COLO_DATABASE_URL"])
    condition = (f"NEW.routing_key = '{event.routing_key()}' AND NEW.envelope->'data'->>'{key}' = '{value}'")
    async with engine.begin() as db:
        await db.execute(text("CREATE OR REPLACE FUNCTION test_lose_event() RETURNS trigger LANGUAGE plpgsql AS "
                              "$$ BEGIN NEW.sent_at := NEW.created_at; RETURN NEW; END $$"))
        await db.execute(text(f"CREATE TRIGGER test_lose_event BEFORE INSERT ON outbox FOR EACH ROW "
                              f"WHEN ({condition}) EXECUTE FUNCTION test_lose_event()"))
    try:
        yield
    finally:
        async with engine.begin() as db:
            await db.execute(text("DROP TRIGGER test_lose_event ON outbox"))
            await db.execute(text("DROP FUNCTION test_lose_event()"))
        await engine.dispose()


async def test_a_placement_and_an_invoicing_request_lost_on_their_way_still_get_through(platform):
    clients, stock, orders, billing = (platform.client(s) for s in ("clients", "stock", "orders", "billing"))
    stay = (await stock.post("/stays", json={"title": "Séjour perdu et retrouvé"})).json()
    departure = (await stock.post(f"/stays/{stay['id']}/departures", json={
        "start_date": "2027-10-20", "end_date": "2027-10-27", "capacity": 4, "base_price": "400.00"})).json()
    client = (await clients.post("/clients", json={"kind": "private", "last_name": "Perrin",
                                                   "email": "perrin@example.fr"})).json()
    child = (await clients.post(f"/clients/{client['id']}/participants",
                                json={"last_name": "Perrin", "first_name": "Lou"})).json()

    async with lost(platform, events.OrderPlaced, "client_id", client["id"]):
        placed = await orders.post("/orders", json={
            "client_id": client["id"], "departure_id": departure["id"], "participant_ids": [child["id"]],
            "consents": {"newsletter": True, "partner_offers": False}})
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]

    platform.move_clock(LATE)
    await until(orders, f"/orders/{order_id}", lambda o: o["status"] == "option")
    assert (await stock.get(f"/departures/{departure['id']}")).json()["stock"]["held"] == 1
    consents = await until(clients, f"/clients/{client['id']}/consents", lambda c: c["newsletter"]["granted"])
    assert consents["newsletter"]["channel"] == "order" and not consents["partner_offers"]["granted"]

    paid = await orders.post(f"/orders/{order_id}/payments", json={"amount": "400.00", "method": "transfer"})
    assert paid.status_code == 201, paid.text
    async with lost(platform, events.InvoicingRequested, "order_id", order_id):
        assert (await orders.post(f"/orders/{order_id}/invoicing")).status_code == 202

    platform.move_clock(LATE)
    order = await until(orders, f"/orders/{order_id}", lambda o: o["invoiced"])
    [invoice] = (await billing.get("/invoices", params={"order_id": order_id})).json()["items"]
    assert invoice["reference"] == order["invoice_reference"] and invoice["total"] == "400.00"
    actions = [e["action"] for e in (await orders.get(f"/orders/{order_id}/workflow")).json()["items"]]
    assert actions.count("placement_redriven") == 1 and actions.count("invoicing_requested") == 2
