"""What does not progress is re-driven: an order stock has not answered and an invoicing request billing has not
answered are announced again once the configured delay (10 minutes) has passed, under a new version that the
consumers' version guard takes, counted in a metric and logged as an alert."""
import uuid
from datetime import timedelta

from prometheus_client import REGISTRY

from shared import events
from shared.testing import BusSpy, eventually

from .test_orders_api import optioned, status_of


def redriven(kind: str) -> float:
    return REGISTRY.get_sample_value("colo_orders_redriven_total", {"kind": kind}) or 0.0


async def rounds(count: int) -> None:
    """Wait until the re-drive job has run `count` more times."""
    def runs() -> float:
        return REGISTRY.get_sample_value(
            "colo_job_runs_total", {"service": "orders", "job": "redrive_stuck", "outcome": "ok"}) or 0.0

    start = runs()

    async def done() -> bool:
        return runs() >= start + count

    await eventually(done)


def announcements(bus: BusSpy, event: type[events.Event], order_id: str) -> list[events.Envelope]:
    return sorted(bus.of_type(event, order_id=order_id), key=lambda e: e.aggregate_version)


async def test_an_order_stock_never_answered_is_announced_again_and_the_answer_options_it(
        orders, directory, bus: BusSpy, clock, caplog):
    client, departure = directory.add_family(), directory.add_departure()
    placed = await orders.post("/orders", json={
        "client_id": str(client.id), "departure_id": str(departure.id),
        "participant_ids": [str(p) for p in client.participants],
        "consents": {"newsletter": True, "partner_offers": False}})
    order = placed.json()
    first = await bus.wait_for(events.OrderPlaced, order_id=order["id"])
    before = redriven("placement")
    clock.advance(timedelta(minutes=9, seconds=59))
    await rounds(2)
    assert len(announcements(bus, events.OrderPlaced, order["id"])) == 1  # not late yet

    clock.advance(timedelta(seconds=2))
    again = (await eventually(lambda: _second(bus, events.OrderPlaced, order["id"])))
    assert again.id != first.id and again.aggregate_version == first.aggregate_version + 1
    assert {k: again.data[k] for k in ("status", "departure_id", "places", "participant_ids", "total", "consents")} == {
        k: first.data[k] for k in ("status", "departure_id", "places", "participant_ids", "total", "consents")}
    assert again.data["consents"]["newsletter"] is True  # what clients had not been told either
    assert redriven("placement") == before + 1
    assert any("orders.stuck_redriven" in str(record.msg) and record.levelname == "ERROR" for record in caplog.records)

    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=departure.id, places=1,
                                           order_version=again.aggregate_version), order["id"], again.aggregate_version)
    await eventually(lambda: _status(orders, order["id"], "option"))
    workflow = [(e["action"], e["detail"]) for e in (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]]
    assert ("placement_redriven", "Sans réponse du stock depuis 10 min : commande annoncée à nouveau.") in workflow
    clock.advance(timedelta(minutes=11))
    await rounds(2)
    assert len(announcements(bus, events.OrderPlaced, order["id"])) == 2  # optioned: nothing more to re-drive


async def test_an_invoicing_request_billing_never_answered_is_asked_again_until_the_invoice_arrives(
        orders, directory, bus: BusSpy, clock):
    order = await optioned(orders, directory, bus)
    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "850.00", "method": "transfer"})
    assert (await orders.post(f"/orders/{order['id']}/invoicing")).status_code == 202
    first = await bus.wait_for(events.InvoicingRequested, order_id=order["id"])
    before = redriven("invoicing")
    clock.advance(timedelta(minutes=10, seconds=1))
    again = await eventually(lambda: _second(bus, events.InvoicingRequested, order["id"]))
    assert again.aggregate_version > first.aggregate_version and again.data == first.data
    assert redriven("invoicing") == before + 1

    issued = events.InvoiceIssued(order_id=order["id"], client_id=order["client_id"], invoiced=True,
                                  current_invoice_id=uuid.uuid4(), invoice_id=uuid.uuid4(), number=1,
                                  reference="F2027-00001", total=again.data["total"], issued_at=clock.now())
    await bus.publish(issued, order["id"], 1, producer="billing")
    await eventually(lambda: _invoiced(orders, order["id"]))
    clock.advance(timedelta(minutes=11))
    await rounds(2)
    assert len(announcements(bus, events.InvoicingRequested, order["id"])) == 2
    assert await status_of(orders, order["id"]) == "validated"


async def _second(bus: BusSpy, event: type[events.Event], order_id: str) -> events.Envelope | None:
    found = announcements(bus, event, order_id)
    return found[1] if len(found) > 1 else None


async def _status(orders, order_id: str, status: str) -> bool:
    return await status_of(orders, order_id) == status


async def _invoiced(orders, order_id: str) -> bool:
    return (await orders.get(f"/orders/{order_id}")).json()["invoiced"]
