"""Dates and times written for people are on the organiser's clock (Europe/Paris unless `COLO_TIME_ZONE` says
otherwise): an instant near midnight UTC shows the Paris day and hour. The API gives instants in ISO 8601 with
their offset."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from orders.app import OrdersSettings
from shared import events
from shared.testing import BusSpy

from .test_orders_api import place


async def details(orders, order_id, action):
    return [e["detail"] for e in (await orders.get(f"/orders/{order_id}/workflow")).json()["items"]
            if e["action"] == action]


async def test_the_workflow_log_and_the_pdf_show_paris_time_and_the_api_keeps_the_instant(
        orders, directory, bus: BusSpy, clock, orders_db):
    clock.advance(datetime(2027, 3, 1, 23, 30, tzinfo=UTC) - clock.now())  # 00:30 on 2 March in Paris
    order = await place(orders, directory, 1)
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=order["departure_id"], places=1),
                      order["id"])
    await bus.wait_for(events.OrderOptioned, order_id=order["id"])
    assert await details(orders, order["id"], "optioned") == ["Places réservées ; option jusqu'au 09/03/2027 à 00:30."]
    assert (await orders.get(f"/orders/{order['id']}")).json()["option_expires_at"] == "2027-03-08T23:30:00Z"

    clock.advance(timedelta(days=7, minutes=1))
    await bus.wait_for(events.OrderOptionExpired, order_id=order["id"])
    assert (await orders.post(f"/orders/{order['id']}/reinstatement")).status_code == 200
    assert await details(orders, order["id"], "reinstated") == ["Option prolongée jusqu'au 16/03/2027 à 00:31."]

    assert (await orders.post(f"/orders/{order['id']}/documents/regenerate")).status_code == 202
    engine = create_async_engine(orders_db)
    try:
        async with engine.connect() as db:
            printed = await db.scalar(text("SELECT snapshot->>'issued_on' FROM order_pdfs WHERE order_id = :id"),
                                      {"id": order["id"]})
    finally:
        await engine.dispose()
    assert printed == "09/03/2027"  # 8 March 23:31 UTC


def test_the_organisers_time_zone_is_one_setting(monkeypatch):
    at = datetime(2027, 3, 1, 23, 30, tzinfo=UTC)
    assert OrdersSettings().presentation().moment(at) == "02/03/2027 à 00:30"
    monkeypatch.setenv("COLO_TIME_ZONE", "America/Martinique")
    martinique = OrdersSettings().presentation()
    assert (martinique.moment(at), martinique.day(at)) == ("01/03/2027 à 19:30", "01/03/2027")
