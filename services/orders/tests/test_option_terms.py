"""Option durations come from the stay organiser's commercial settings (seed 001: configured in stock), each order
keeps its own, and the timers follow what each order was booked with."""
from dataclasses import replace
from datetime import timedelta

from shared import events
from shared.testing import BusSpy


async def optioned(orders, directory, bus: BusSpy, durations: tuple[int, int] | None):
    client, departure = directory.add_family(), directory.add_departure()
    if durations is not None:
        organiser = directory.organise(departure)
        directory.settings[organiser] = replace(directory.settings[organiser], option_days=durations[0],
                                                expired_option_days=durations[1])
    order = (await orders.post("/orders", json={"client_id": str(client.id), "departure_id": str(departure.id),
                                                "participant_ids": [str(p) for p in client.participants]})).json()
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=order["departure_id"], places=1),
                      order["id"])
    await bus.wait_for(events.OrderOptioned, order_id=order["id"])
    return (await orders.get(f"/orders/{order['id']}")).json()


async def status_of(orders, order) -> str:
    return (await orders.get(f"/orders/{order['id']}")).json()["status"]


async def test_each_order_expires_and_is_archived_after_its_organiser_s_durations(orders, directory, bus, clock):
    short = await optioned(orders, directory, bus, (3, 2))
    usual = await optioned(orders, directory, bus, None)
    assert (short["option_days"], short["expired_option_days"]) == (3, 2)
    assert (usual["option_days"], usual["expired_option_days"]) == (None, None)
    assert short["option_expires_at"].startswith((clock.now() + timedelta(days=3)).date().isoformat())
    assert usual["option_expires_at"].startswith((clock.now() + timedelta(days=7)).date().isoformat())

    clock.advance(timedelta(days=3, minutes=1))
    await bus.wait_for(events.OrderOptionExpired, order_id=short["id"])
    clock.advance(timedelta(days=2, minutes=1))
    await bus.wait_for(events.OrderArchived, order_id=short["id"])
    assert await status_of(orders, usual) == "option"
    workflow = (await orders.get(f"/orders/{short['id']}/workflow")).json()["items"]
    assert "depuis plus de 2 jour(s)" in workflow[-1]["detail"]

    clock.advance(timedelta(days=2))
    await bus.wait_for(events.OrderOptionExpired, order_id=usual["id"])
    clock.advance(timedelta(days=6))
    assert await status_of(orders, usual) == "option_expired"  # 6 days of the configured 7
    clock.advance(timedelta(days=1, minutes=1))
    await bus.wait_for(events.OrderArchived, order_id=usual["id"])


async def test_a_reinstated_option_gets_its_organiser_s_duration_again(orders, directory, bus, clock):
    order = await optioned(orders, directory, bus, (2, 30))
    clock.advance(timedelta(days=2, minutes=1))
    await bus.wait_for(events.OrderOptionExpired, order_id=order["id"])
    reinstated = (await orders.post(f"/orders/{order['id']}/reinstatement")).json()
    assert reinstated["status"] == "option"
    assert reinstated["option_expires_at"].startswith((clock.now() + timedelta(days=2)).date().isoformat())
