"""Several processes of each service at once behind the gateway's upstreams, and a burst of bookings: afterwards stock
equals the orders' states, every invoice has one number of one continuous series, every mail went out once.

Sized for a 2-core machine (README, "Operations"): BOOKINGS bookings in one burst for CAPACITY places, then PAID of
the options paid and invoiced, in about a minute with every process on the same two cores.
"""
import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from shared.events import OrderOptioned, OrderPlaced
from shared.testing import GatewayProcess, Infra, Platform, auth, eventually, handled_count, start_platform

pytestmark = pytest.mark.e2e

PROCESSES = {"orders": 3, "stock": 2, "billing": 2, "notifications": 2}
BOOKINGS, CAPACITY, PAID = 120, 100, 30
CHILDREN_PER_FAMILY = 10


@pytest.fixture(scope="module")
async def scaled(infra: Infra, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[tuple[Platform, GatewayProcess]]:
    directory = tmp_path_factory.mktemp("scaled")
    async with start_platform(infra, directory) as platform:
        await asyncio.gather(*(platform.start_replica(service) for service, count in PROCESSES.items()
                               for _ in range(count - 1)))
        gateway = platform.gateway(directory / "gateway").start()
        try:
            await gateway.wait_ready()
            yield platform, gateway
        finally:
            gateway.stop()


async def submit(api: httpx.AsyncClient, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
    """POST as a careful client does: with an Idempotency-Key, and again with the same key after Retry-After while the
    platform answers 503 (saturated for a moment), so that a retried booking is still one booking."""
    key = str(uuid.uuid4())
    for _ in range(20):
        response = await api.post(path, json=body, headers={"Idempotency-Key": key})
        if response.status_code != 503:
            return response
        await asyncio.sleep(float(response.headers["Retry-After"]))
    return response


async def every_page(http: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        page = (await http.get(path, params={**params, "limit": 200, **({"cursor": cursor} if cursor else {})})).json()
        items += page["items"]
        if not (cursor := page["next_cursor"]):
            return items


async def test_a_burst_of_bookings_over_replicas_leaves_everything_consistent(scaled) -> None:
    platform, gateway = scaled
    async with httpx.AsyncClient(base_url=f"{gateway.url}/api", headers=auth("operator"), timeout=120,
                                 limits=httpx.Limits(max_connections=50)) as api:
        stay = (await api.post("/stock/stays", json={"title": "Colonie des grands jours"})).json()
        departure = (await api.post(f"/stock/stays/{stay['id']}/departures", json={
            "start_date": "2027-07-05", "end_date": "2027-07-19", "capacity": CAPACITY,
            "base_price": "640.00"})).json()

        async def family(number: int) -> list[tuple[str, str]]:
            client = (await api.post("/clients/clients", json={
                "kind": "private", "last_name": f"Famille{number}", "email": f"famille{number}@example.fr"})).json()
            children = []
            for child in range(CHILDREN_PER_FAMILY):
                participant = await api.post(f"/clients/clients/{client['id']}/participants", json={
                    "last_name": f"Famille{number}", "first_name": f"Enfant{child}"})
                assert participant.status_code == 201, participant.text
                children.append((client["id"], participant.json()["id"]))
            return children

        bookings = [b for f in await asyncio.gather(*(family(n) for n in range(BOOKINGS // CHILDREN_PER_FAMILY)))
                    for b in f]

        # The burst: every booking at once, through the gateway, spread over the orders processes.
        placed = await asyncio.gather(*(submit(api, "/orders/orders", {
            "client_id": client_id, "departure_id": departure["id"], "participants": [{"participant_id": child}]})
            for client_id, child in bookings))
        assert Counter(r.status_code for r in placed) == {201: BOOKINGS}, [r.text for r in placed
                                                                           if r.status_code != 201]
        order_ids = {r.json()["id"] for r in placed}

        async def settled() -> list[dict[str, Any]] | None:
            orders = await every_page(api, "/orders/orders", departure_id=departure["id"])
            return orders if len(orders) == BOOKINGS and all(o["status"] != "pending" for o in orders) else None

        orders = await eventually(settled, timeout=90, interval=0.5)
        statuses = Counter(o["status"] for o in orders)
        assert statuses == {"option": CAPACITY, "refused": BOOKINGS - CAPACITY}

        # Some families pay, which validates their orders, and are invoiced.
        options = sorted(o["id"] for o in orders if o["status"] == "option")
        paying = options[:PAID]
        paid = await asyncio.gather(*(submit(api, f"/orders/orders/{order_id}/payments",
                                             {"amount": "640.00", "method": "card"}) for order_id in paying))
        assert [r.status_code for r in paid] == [201] * PAID, [r.text for r in paid if r.status_code != 201]
        invoicing = await asyncio.gather(*(submit(api, f"/orders/orders/{order_id}/invoicing") for order_id in paying))
        assert [r.status_code for r in invoicing] == [202] * PAID

        async def invoiced() -> list[dict[str, Any]] | None:
            orders = await every_page(api, "/orders/orders", departure_id=departure["id"])
            done = [o for o in orders if o["invoiced"]]
            return orders if len(done) == PAID else None

        orders = await eventually(invoiced, timeout=90, interval=0.5)

        # Stock equals the orders' states: counts, and which order holds or confirms which place.
        by_status = {status: {o["id"] for o in orders if o["status"] == status}
                     for status in ("option", "validated", "refused")}
        assert [len(by_status[s]) for s in by_status] == [CAPACITY - PAID, PAID, BOOKINGS - CAPACITY]

        async def stock_matches() -> dict[str, Any] | None:
            stock = (await api.get(f"/stock/departures/{departure['id']}")).json()["stock"]
            return stock if stock["confirmed"] == PAID else None

        stock = await eventually(stock_matches, timeout=60, interval=0.5)
        assert stock == {"capacity": CAPACITY, "held": CAPACITY - PAID, "overdue": 0, "confirmed": PAID, "free": 0}
        holds = await every_page(api, f"/stock/departures/{departure['id']}/holds")
        holding = Counter(h["state"] for h in holds)
        assert {h["order_id"] for h in holds if h["state"] == "held"} == by_status["option"]
        assert {h["order_id"] for h in holds if h["state"] == "confirmed"} == by_status["validated"]
        assert holding["held"] + holding["confirmed"] == CAPACITY and {h["order_id"] for h in holds} <= order_ids

        # Every invoice numbered once: one per invoiced order, numbers continuous without a gap or a repeat.
        invoices = [i for order_id in by_status["validated"]
                    for i in (await api.get("/billing/invoices", params={"order_id": order_id})).json()["items"]]
        assert sorted(i["order_id"] for i in invoices) == sorted(by_status["validated"])
        numbers = sorted(i["number"] for i in invoices)
        assert numbers == list(range(numbers[0], numbers[0] + PAID)), numbers
        assert len({i["reference"] for i in invoices}) == PAID
        assert {o["invoice_reference"] for o in orders if o["invoiced"]} == {i["reference"] for i in invoices}

        # Every mail sent once: each option, each confirmed booking and each invoice told its family, and the SMTP
        # server received each e-mail of the delivery log exactly once.
        expected = {"option_confirmation": CAPACITY, "booking_confirmation": PAID, "invoice_available": PAID}

        async def all_sent() -> list[dict[str, Any]] | None:
            sent = await every_page(api, "/notifications/emails", status="sent")
            counts = Counter(e["template"] for e in sent if e["order_id"] in order_ids)
            return sent if all(counts[t] >= n for t, n in expected.items()) else None

        sent = [e for e in await eventually(all_sent, timeout=90, interval=0.5) if e["order_id"] in order_ids]
        per_order_template = Counter((e["order_id"], e["template"]) for e in sent)
        assert max(per_order_template.values()) == 1, "an order's family was told the same thing twice"
        templates = Counter(template for _, template in per_order_template)
        assert {t: templates[t] for t in expected} == expected
        deliveries = Counter(r.message["Message-ID"].strip("<>").split("@")[0] for r in platform.smtp.received)
        assert all(deliveries[e["id"]] == 1 for e in sent), "an e-mail was delivered twice or not at all"

    # The replicas shared the work: the gateway spread the bookings over every orders process, and every stock and
    # notifications process consumed its share of the events.
    upstreams = Counter(line["upstream"] for line in gateway.access_log()
                        if line["method"] == "POST" and line["path"] == "/api/orders/orders")
    assert set(upstreams) == set(platform.addresses("orders")), upstreams
    for service, event in (("stock", OrderPlaced), ("notifications", OrderOptioned)):
        processes = [platform.processes[service], *(r for r in platform.replicas if r.service == service)]
        handled = [await handled_count(process, event) for process in processes]
        assert len(handled) == PROCESSES[service] and all(handled) and sum(handled) >= BOOKINGS * (service == "stock")
