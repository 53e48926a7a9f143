"""The platform as production runs it: several processes of each service at once behind the gateway's upstreams,
every process exporting its traces over OTLP.

A burst of bookings leaves everything consistent: stock equals the orders' states, every invoice has one number of
one continuous series, every mail went out once. Sized for a 2-core machine (docs/operations.md, "Scaling"):
BOOKINGS bookings in one burst for CAPACITY places, then PAID of the options paid and invoiced.
And one booking is one trace, across the services and the bus.
"""
import asyncio
import secrets
import threading
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from shared.events import OrderOptioned, OrderPlaced
from shared.testing import (
    GatewayProcess, Infra, Platform, auth, eventually, free_port, handled_count, start_platform,
)

pytestmark = pytest.mark.e2e

PROCESSES = {"orders": 3, "stock": 2, "billing": 2, "notifications": 2}
BOOKINGS, CAPACITY, PAID = 120, 100, 30
CHILDREN_PER_FAMILY = 10


class OtlpReceiver:
    """What an OpenTelemetry collector receives over OTLP/HTTP: (service, span name, kind, trace id) of each span."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, str, int, str]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
                request = ExportTraceServiceRequest.FromString(self.rfile.read(int(self.headers["Content-Length"])))
                for resource_spans in request.resource_spans:
                    service = next(a.value.string_value for a in resource_spans.resource.attributes
                                   if a.key == "service.name")
                    receiver.spans += [(service, span.name, span.kind, span.trace_id.hex())
                                       for scope in resource_spans.scope_spans for span in scope.spans]
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def of_trace(self, trace_id: str) -> list[tuple[str, str, int, str]]:
        return [span for span in self.spans if span[3] == trace_id]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
async def scaled(infra: Infra, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[tuple[Platform, GatewayProcess, OtlpReceiver]]:
    directory = tmp_path_factory.mktemp("scaled")
    collector = OtlpReceiver()
    try:
        async with start_platform(infra.child("scale"), directory, settings={"otlp_endpoint": collector.url}) as platform:
            await asyncio.gather(*(platform.start_replica(service) for service, count in PROCESSES.items()
                                   for _ in range(count - 1)))
            gateway = platform.gateway(directory / "gateway").start()
            try:
                await gateway.wait_ready()
                yield platform, gateway, collector
            finally:
                gateway.stop()
    finally:
        collector.stop()


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
    platform, gateway, _ = scaled
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
        wrong = [(e["id"], e["template"], deliveries[e["id"]], e["attempts"]) for e in sent if deliveries[e["id"]] != 1]
        assert not wrong, f"e-mails delivered twice or not at all (id, template, deliveries, attempts): {wrong}"

    # The replicas shared the work: the gateway spread the bookings over every orders process, and every stock and
    # notifications process consumed its share of the events.
    upstreams = Counter(line["upstream"] for line in gateway.access_log()
                        if line["method"] == "POST" and line["path"] == "/api/orders/orders")
    assert set(upstreams) == set(platform.addresses("orders")), upstreams
    for service, event in (("stock", OrderPlaced), ("notifications", OrderOptioned)):
        processes = [platform.processes[service], *(r for r in platform.replicas if r.service == service)]
        handled = [await handled_count(process, event) for process in processes]
        assert len(handled) == PROCESSES[service] and all(handled) and sum(handled) >= BOOKINGS * (service == "stock")


async def test_a_booking_is_one_trace_from_the_gateway_through_the_bus_to_the_email(scaled) -> None:
    """The caller's trace context, through the gateway, continues in orders, across RabbitMQ into stock and back, and
    into notifications, which writes the family's e-mail: every span of it shares the caller's trace id."""
    platform, gateway, collector = scaled
    trace_id = secrets.token_hex(16)
    async with httpx.AsyncClient(base_url=f"{gateway.url}/api", headers=auth("operator"), timeout=60) as api:
        stay = (await api.post("/stock/stays", json={"title": "Classe verte"})).json()
        departure = (await api.post(f"/stock/stays/{stay['id']}/departures", json={
            "start_date": "2027-05-10", "end_date": "2027-05-14", "capacity": 5, "base_price": "280.00"})).json()
        client = (await api.post("/clients/clients", json={
            "kind": "private", "last_name": "Traçée", "email": "famille.tracee@example.fr"})).json()
        child = (await api.post(f"/clients/clients/{client['id']}/participants", json={
            "last_name": "Traçée", "first_name": "Inès"})).json()
        booked = await api.post("/orders/orders", headers={"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"},
                                json={"client_id": client["id"], "departure_id": departure["id"],
                                      "participants": [{"participant_id": child["id"]}]})
        assert booked.status_code == 201, booked.text
        order_id = booked.json()["id"]

        async def mail_written() -> bool:
            emails = (await api.get("/notifications/emails", params={"order_id": order_id})).json()["items"]
            return any(e["template"] == "option_confirmation" for e in emails)

        await eventually(mail_written, timeout=60, interval=0.5)

    async def services_seen() -> set[str] | None:
        handled = {(service, name) for service, name, _, _ in collector.of_trace(trace_id)}
        wanted = {("orders", "orders.order.placed publish"), ("stock", "orders.order.placed process"),
                  ("orders", "stock.hold.confirmed process"), ("notifications", "orders.order.optioned process")}
        return {service for service, _ in handled} if wanted <= handled else None

    services = await eventually(services_seen, timeout=30, interval=0.5)
    assert {"orders", "stock", "notifications"} <= services
    spans = collector.of_trace(trace_id)
    assert any(name.startswith("POST") and service == "orders" for service, name, _, _ in spans), "the request"
    assert any(name.startswith(("INSERT", "UPDATE")) and service == "stock" for service, name, _, _ in spans), \
        f"the SQL statements are in the trace too: {sorted({(s, n) for s, n, _, _ in spans})}"
