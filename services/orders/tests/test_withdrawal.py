"""A modification stock never answered can be withdrawn; stock is told to go back, and the order's PDF shows an
order modified through stock only once stock confirms it."""
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from orders.tables import OrderPdf
from shared import events
from shared.testing import BusSpy, eventually

from .test_modifications_api import _field_is, actions, optioned


async def proposed_both(orders, directory, bus: BusSpy):
    """An option for one child, and a modification adding the second that waits for stock."""
    order, _, _, kids, ids = await optioned(orders, directory, bus)
    both = [{"participant_id": str(k), "outbound_city_id": str(ids["lyon"]), "extra_ids": [str(ids["riding"])]}
            for k in kids]
    asked = await orders.post(f"/orders/{order['id']}/modifications", json={"participants": both})
    assert asked.status_code == 202, asked.text
    return order, await bus.wait_for(events.OrderModified, order_id=order["id"], places=2)


async def withdrawn(orders, bus: BusSpy, order, proposal):
    url = f"/orders/{order['id']}/modifications/{proposal.aggregate_version}/withdrawal"
    taken_back = await orders.post(url)
    assert taken_back.status_code == 200, taken_back.text
    assert taken_back.json()["modification"]["status"] == "withdrawn"
    again = await orders.post(url)
    assert again.status_code == 409 and again.json()["code"] == "modification_not_pending"
    return await bus.wait_for(events.OrderModified, order_id=order["id"], places=1)


def answer(order, proposal, places, refusal=None):
    common = {"order_id": order["id"], "departure_id": order["departure_id"], "places": places,
              "order_version": proposal.aggregate_version}
    if refusal is None:
        return events.HoldConfirmed(**common)
    return events.HoldRejected(**common, free=0, reason=refusal)


async def test_a_withdrawn_modification_asks_stock_to_go_back_and_its_late_answer_changes_nothing(
        orders, directory, bus: BusSpy, applied):
    order, proposal = await proposed_both(orders, directory, bus)
    assert (await orders.post(f"/orders/{order['id']}/modifications/99/withdrawal")).status_code == 404
    back = await withdrawn(orders, bus, order, proposal)
    assert back.aggregate_version == proposal.aggregate_version + 1
    assert back.data["participant_ids"] == [p["participant_id"] for p in order["participants"]]
    assert back.data["total"] == "1020.00" and [e["quantity"] for e in back.data["extras"]] == [1]
    unblocked = await orders.post(f"/orders/{order['id']}/modifications", json={"cash_discount": "20.00"})
    assert unblocked.status_code == 200, unblocked.text  # no longer waiting: other changes go ahead

    # Stock applied the modification before it saw the return (it applies an order's events in order) ...
    await applied(await bus.publish(answer(order, proposal, 2), order["id"], proposal.aggregate_version))
    # ... then the return, which puts the places back.
    await applied(await bus.publish(answer(order, back, 1), order["id"], back.aggregate_version))
    now = (await orders.get(f"/orders/{order['id']}")).json()
    assert len(now["participants"]) == 1 and now["total"] == "1000.00" and now["status"] == "option"
    logged = [action for action, _ in await actions(orders, order["id"])]
    assert logged.count("modification_withdrawn") == 1 and logged[-1] == "modification_withdrawal_confirmed"
    history = (await orders.get(f"/orders/{order['id']}/modifications")).json()["items"]
    assert [m["status"] for m in history] == ["withdrawn", "applied"]


async def test_when_the_former_places_are_gone_the_order_takes_the_modification_stock_kept(
        orders, directory, bus: BusSpy, applied):
    order, proposal = await proposed_both(orders, directory, bus)
    back = await withdrawn(orders, bus, order, proposal)
    await applied(await bus.publish(answer(order, proposal, 2), order["id"], proposal.aggregate_version))
    await applied(await bus.publish(answer(order, back, 1, "Plus que 0 place sur ce départ"), order["id"],
                                    back.aggregate_version))
    now = (await orders.get(f"/orders/{order['id']}")).json()
    assert len(now["participants"]) == 2 and now["total"] == "2040.00"

    async def announced():  # everyone learns the order as stock holds it
        return [e.data["places"] for e in bus.of_type(events.OrderModified, order_id=order["id"])
                if e.aggregate_version > back.aggregate_version]

    assert await eventually(announced) == [2]
    (kept,) = (await orders.get(f"/orders/{order['id']}/modifications")).json()["items"]
    assert kept["status"] == "applied" and "Plus que 0 place" in kept["reason"]


async def test_the_pdf_of_a_modification_through_stock_waits_for_stock_s_confirmation(
        orders, directory, bus: BusSpy, applied, orders_db):
    order, proposal = await proposed_both(orders, directory, bus)
    await applied(proposal)  # orders handled its own event: no PDF for an order not modified yet
    assert (await orders.get(f"/orders/{order['id']}/pdfs")).json()["items"] == []

    await applied(await bus.publish(answer(order, proposal, 2), order["id"], proposal.aggregate_version))
    await eventually(lambda: _field_is(orders, order["id"], "total", "2040.00"))
    (pdf,) = (await orders.get(f"/orders/{order['id']}/pdfs")).json()["items"]
    assert pdf["reason"] == "modified"
    engine = create_async_engine(orders_db)
    try:
        async with engine.connect() as db:
            snapshot = await db.scalar(select(OrderPdf.snapshot).where(OrderPdf.id == pdf["id"]))
    finally:
        await engine.dispose()
    assert snapshot["participants"] == ["Enfant0 Martin", "Enfant1 Martin"] and snapshot["total"] == "2040.00"


async def test_a_modification_applied_at_once_gets_its_pdf_from_its_own_event(orders, directory, bus: BusSpy,
                                                                             applied):
    order, *_ = await optioned(orders, directory, bus)
    changed = await orders.post(f"/orders/{order['id']}/modifications", json={"cash_discount": "20.00"})
    assert changed.status_code == 200
    await applied(await bus.wait_for(events.OrderModified, order_id=order["id"]))
    (pdf,) = (await orders.get(f"/orders/{order['id']}/pdfs")).json()["items"]
    assert pdf["reason"] == "modified" and pdf["order_version"] == 3
