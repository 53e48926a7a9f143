"""A hold for an order that orders never had (an OrderPlaced published by hand) would hold its places forever: stock's
reconciliation asks orders which orders exist and reports it, and an operator releases its places."""
import uuid
from datetime import date
from decimal import Decimal

import pytest

from shared import events
from shared.testing import BusSpy, auth

from .test_story import until
from .test_story_payments import departure_of

pytestmark = pytest.mark.e2e


async def test_a_hold_of_an_order_orders_does_not_know_is_reported_then_released(platform):
    stock, orders = platform.client("stock"), platform.client("orders")
    _, departure = await departure_of(stock, "Surf à Lacanau", date(2027, 8, 9), "640.00")
    ghost = uuid.uuid4()
    bus = BusSpy(platform.infra)
    await bus.start()
    try:
        await bus.publish(events.OrderPlaced(
            order_id=ghost, reference="X-1", client_id=uuid.uuid4(), departure_id=departure, status="pending", places=2,
            participant_ids=[uuid.uuid4(), uuid.uuid4()], total=Decimal("1280.00"), amount_paid=Decimal("0.00"),
            invoiced=False), ghost, 1)
        await until(stock, f"/departures/{departure}", lambda d: d["stock"]["held"] == 2)
    finally:
        await bus.close()
    assert (await orders.get(f"/orders/{ghost}")).status_code == 404

    reported = (await stock.get("/reconciliation/holds", params={"limit": 200})).json()["items"]
    assert [(h["order_id"], h["departure_id"], h["places"], h["state"]) for h in reported
            if h["departure_id"] == departure] == [(str(ghost), departure, 2, "held")]
    assert (await stock.post(f"/holds/{ghost}/release", headers=auth("accountant"))).status_code == 403
    released = await stock.post(f"/holds/{ghost}/release")
    assert released.status_code == 200, released.text
    places = (await stock.get(f"/departures/{departure}")).json()["stock"]
    assert (places["held"], places["free"]) == (0, places["capacity"])
    left = (await stock.get("/reconciliation/holds", params={"limit": 200})).json()["items"]
    assert str(ghost) not in {h["order_id"] for h in left}
