"""`make bench`: Colo's event throughput beside the raw floor of the broker, measured in one run.

(a) the floors: aio-pika publishing persistent messages with publisher confirms, and consuming them with acks;
    and the same booking written as a monolith would (bench/monolith.py: one process, one transaction);
(b) the booking saga through real service processes: orders per second from `POST /orders` to `option`
    (three events each: placed, hold confirmed, optioned), beside the monolith's bookings per second; the CPU
    milliseconds each service spent per booking (from the processes' own CPU time) and their memory after the
    run; p50/p99 latency at a fixed offered load;
(c) invoices issued (numbered and stored) per second, through billing's consumer;
(d) invoice PDFs rendered per second, beside a bare WeasyPrint render of the same HTML.
It prints figures; it never fails on a time. `--orders N` and `--offered-seconds S` shorten (b), `--saga-only`
skips (c) and (d): for comparing two versions of the code in runs taken close together.
"""
import argparse
import asyncio
import os
import platform as host
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import aio_pika
import httpx

from bench.monolith import measure as monolith_rate
from shared import events
from shared.testing import BusSpy, Infra, auth, free_port, start_platform

RAW_MESSAGES = 5000
BURST_ORDERS = 300
OFFERED_RATE = 20  # orders per second
OFFERED_SECONDS = 10
INVOICES = 300
PDFS = 20
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system time the process has used so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class TimedSpy(BusSpy):
    """Notes when each event was seen, to measure latency."""

    def __init__(self, infra: Infra) -> None:
        super().__init__(infra)
        self.seen_at: dict[tuple[str, str], float] = {}

    async def _on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        await super()._on_message(message)
        envelope = self.seen[-1]
        key = str(envelope.data.get("order_id") or envelope.data.get("departure_id"))
        self.seen_at.setdefault((envelope.type, key), time.perf_counter())


async def raw_floor(amqp: str, namespace: str) -> float:
    """Messages per second through publish-with-confirm and consume-with-ack, at a bounded window like the relay's."""
    connection = await aio_pika.connect(amqp)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        queue = await channel.declare_queue(f"{namespace}bench.raw", durable=True,
                                            arguments={"x-queue-type": "quorum"})
        body = os.urandom(600)
        received = asyncio.Event()
        count = 0

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            nonlocal count
            await message.ack()
            count += 1
            if count == RAW_MESSAGES:
                received.set()

        consumer_channel = await connection.channel()
        await consumer_channel.set_qos(prefetch_count=16)
        consumer_queue = await consumer_channel.declare_queue(queue.name, passive=True)
        tag = await consumer_queue.consume(on_message)
        started = time.perf_counter()
        for batch in range(0, RAW_MESSAGES, 100):
            await asyncio.gather(*(
                channel.default_exchange.publish(
                    aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=queue.name)
                for _ in range(min(100, RAW_MESSAGES - batch))))
        await received.wait()
        elapsed = time.perf_counter() - started
        await consumer_queue.cancel(tag)
        await channel.queue_delete(queue.name)
    return RAW_MESSAGES / elapsed


async def booking_saga(platform, spy: TimedSpy, burst_orders: int = BURST_ORDERS,
                       offered_seconds: int = OFFERED_SECONDS) -> dict[str, float]:
    async with httpx.AsyncClient(headers=auth("operator"), timeout=60) as http:
        stock, clients, orders = (platform.processes[s].url for s in ("stock", "clients", "orders"))
        stay = (await http.post(f"{stock}/stays", json={"title": "Banc d'essai"})).json()
        departure = (await http.post(f"{stock}/stays/{stay['id']}/departures", json={
            "start_date": "2027-07-01", "end_date": "2027-07-10", "capacity": 100_000, "base_price": "500.00"})).json()
        client = (await http.post(f"{clients}/clients", json={"kind": "private", "last_name": "Banc",
                                                              "email": "banc@example.fr"})).json()
        child = (await http.post(f"{clients}/clients/{client['id']}/participants",
                                 json={"last_name": "Banc", "first_name": "Essai"})).json()
        body = {"client_id": client["id"], "departure_id": departure["id"], "participant_ids": [child["id"]]}

        async def book() -> tuple[str, float]:
            sent = time.perf_counter()
            response = await http.post(f"{orders}/orders", json=body)
            return response.json()["id"], sent

        async def optioned(ids: list[str]) -> None:
            while not all((events.OrderOptioned.TYPE, i) in spy.seen_at for i in ids):
                await asyncio.sleep(0.02)

        semaphore = asyncio.Semaphore(20)

        async def bounded() -> tuple[str, float]:
            async with semaphore:
                return await book()

        pids = {name: process.process.pid for name, process in platform.processes.items()}
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        started = time.perf_counter()
        burst = await asyncio.gather(*(bounded() for _ in range(burst_orders)))
        await optioned([i for i, _ in burst])
        throughput = burst_orders / (time.perf_counter() - started)
        cpu_ms = {name: (cpu_seconds(pid) - cpu_before[name]) * 1000 / burst_orders for name, pid in pids.items()}

        sent: list[tuple[str, float]] = []
        tasks = []
        for _ in range(OFFERED_RATE * offered_seconds):
            tasks.append(asyncio.create_task(book()))
            await asyncio.sleep(1 / OFFERED_RATE)
        sent = await asyncio.gather(*tasks)
        await optioned([i for i, _ in sent])
        latencies = sorted(spy.seen_at[(events.OrderOptioned.TYPE, i)] - at for i, at in sent)
    return {
        "cpu_ms": cpu_ms,
        "rss_mib": {name: rss_mib(pid) for name, pid in pids.items()},
        "orders_per_s": throughput,
        "events_per_s": throughput * 3,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


async def invoicing(spy: TimedSpy) -> float:
    requests = []
    for n in range(INVOICES):
        order_id = uuid.uuid4()
        line = events.InvoiceLine(label=f"Séjour banc d'essai {n}", quantity=1, unit_price=Decimal("500.00"),
                                  amount=Decimal("500.00"))
        requests.append((order_id, events.InvoicingRequested(
            order_id=order_id, order_reference=f"B{n:06d}",
            buyer=events.Buyer(client_id=uuid.uuid4(), name="Famille Banc", address_lines=["1 rue du Test"],
                               postal_code="75001", city="Paris"),
            lines=[line], total=Decimal("500.00"), amount_paid=Decimal("0.00"))))
    started = time.perf_counter()
    await asyncio.gather(*(spy.publish(request, order_id, 1) for order_id, request in requests))
    while not all((events.InvoiceIssued.TYPE, str(order_id)) in spy.seen_at for order_id, _ in requests):
        await asyncio.sleep(0.02)
    return INVOICES / (time.perf_counter() - started)


def pdf_rendering() -> tuple[float, float]:
    """Billing's render of an invoice snapshot, beside WeasyPrint alone on the same HTML."""
    from weasyprint import HTML

    from billing.app import DEMO_SELLER
    from billing.domain.documents import Kind, Snapshot
    from billing.pdf import render_html, render_pdf

    line = events.InvoiceLine(label="Séjour Aventure en Ardèche du 10/07/2027 au 24/07/2027 – Léa Martin",
                              quantity=1, unit_price=Decimal("850.00"), amount=Decimal("850.00"))
    snapshot = Snapshot(
        kind=Kind.INVOICE, reference="F2027-00001", issued_at=datetime(2027, 3, 1, 9, tzinfo=UTC),
        order_reference="C000001", seller=DEMO_SELLER,
        buyer=events.Buyer(client_id=uuid.uuid4(), name="Mme MARTIN Claire", address_lines=["3 rue des Lilas"],
                           postal_code="69003", city="Lyon"),
        lines=[line] * 3, total=Decimal("2550.00"), amount_paid=Decimal("850.00"))
    html = render_html(snapshot)
    started = time.perf_counter()
    for _ in range(PDFS):
        render_pdf(snapshot)
    colo = PDFS / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(PDFS):
        HTML(string=html).write_pdf()
    bare = PDFS / (time.perf_counter() - started)
    return colo, bare


async def main(arguments: argparse.Namespace) -> None:
    infra = Infra(os.environ.get("COLO_TEST_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432"),
                  os.environ.get("COLO_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672/"),
                  f"bench{uuid.uuid4().hex[:6]}.")
    print(f"Colo benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, {host.platform()}", flush=True)
    print(f"load average at start: {' '.join(f'{n:.2f}' for n in os.getloadavg())}", flush=True)
    raw = await raw_floor(infra.amqp, infra.namespace)
    print(f"(a) floor: aio-pika publish+confirm / consume+ack, persistent: {raw:,.0f} msg/s", flush=True)
    with tempfile.TemporaryDirectory() as logs:
        monolith = await monolith_rate(infra.database_url("postgres").replace("+asyncpg", ""), free_port(),
                                       max(arguments.orders, 1000), 20, Path(logs) / "monolith.log")
        print(f"(a) floor: the same booking as a monolith (one process, one transaction): {monolith:.0f} bookings/s",
              flush=True)
        async with start_platform(infra, Path(logs)) as platform:
            spy = TimedSpy(platform.infra)
            await spy.start()
            saga = await booking_saga(platform, spy, arguments.orders, arguments.offered_seconds)
            print(f"(b) booking saga: {saga['orders_per_s']:.1f} orders/s to option "
                  f"= {saga['events_per_s']:.0f} events/s, {saga['events_per_s'] / raw:.1%} of the broker's floor, "
                  f"{saga['orders_per_s'] / monolith:.1%} of the monolith's; "
                  f"at {OFFERED_RATE} orders/s offered: p50 {saga['p50_ms']:.0f} ms, p99 {saga['p99_ms']:.0f} ms",
                  flush=True)
            print("    CPU per booking: " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in saga["cpu_ms"].items())
                  + f"; {sum(saga['cpu_ms'].values()):.1f} ms in all", flush=True)
            print("    memory after the run (RSS): " + ", ".join(
                f"{name} {mib:.0f} MiB" for name, mib in saga["rss_mib"].items()), flush=True)
            if not arguments.saga_only:
                issued = await invoicing(spy)
                print(f"(c) invoices issued (numbered, stored): {issued:.1f} /s", flush=True)
            await spy.close()
    if arguments.saga_only:
        return
    colo, bare = pdf_rendering()
    print(f"(d) invoice PDF: Colo {colo:.1f} /s, bare WeasyPrint on the same HTML {bare:.1f} /s "
          f"({colo / bare:.0%})", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=BURST_ORDERS, help="orders of the burst that measures (b)")
    parser.add_argument("--offered-seconds", type=int, default=OFFERED_SECONDS,
                        help=f"seconds of the latency run at {OFFERED_RATE} orders/s offered")
    parser.add_argument("--saga-only", action="store_true", help="skip (c) invoicing and (d) PDF rendering")
    sys.exit(asyncio.run(main(parser.parse_args())))
