"""`python -m bench.soak`: a steady mixed load on the platform for a bounded time, to see what grows.

Bookings (a family and its child created, then booked), payments of options, invoicing of paid orders and client
searches, offered at `--rate` operations per second for `--minutes` (20 by default), against the services run as
processes (shared.testing.start_platform). Every minute: p50 and p99 latency per operation, and any 5xx; at the end:
each service's memory (RSS) at the start and the end, its outbox backlog and its dead letters. What to look for: no
growth of memory, no growing backlog, no error. It prints figures; it never fails.
"""
import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx

from bench.saga import rss_mib
from shared.testing import Infra, Platform, start_platform

WEIGHTS = {"booking": 4, "payment": 2, "invoicing": 1, "search": 3}


class Soak:
    def __init__(self, platform: Platform, departure_id: str) -> None:
        self.platform = platform
        self.departure_id = departure_id
        self.optioned: list[str] = []
        self.paid: list[str] = []
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    async def operation(self, kind: str) -> None:
        started = time.perf_counter()
        status = await getattr(self, kind)()
        if status is not None:
            self.latencies[kind].append(time.perf_counter() - started)
            if status >= 500:
                self.errors[kind] += 1

    async def booking(self) -> int:
        async with self.platform.client("clients") as clients, self.platform.client("orders") as orders:
            name = f"Soak{uuid.uuid4().hex[:8]}"
            family = await clients.post("/clients", json={"kind": "private", "last_name": name,
                                                          "email": f"{name.lower()}@example.fr"})
            if family.status_code != 201:
                return family.status_code
            child = await clients.post(f"/clients/{family.json()['id']}/participants",
                                       json={"last_name": name, "first_name": "Camille"})
            if child.status_code != 201:
                return child.status_code
            placed = await orders.post("/orders", json={"client_id": family.json()["id"],
                                                        "departure_id": self.departure_id,
                                                        "participants": [{"participant_id": child.json()["id"]}]})
        if placed.status_code == 201:
            self.optioned.append(placed.json()["id"])
        return placed.status_code

    async def payment(self) -> int | None:
        if not self.optioned:
            return None
        order_id = self.optioned.pop(0)
        async with self.platform.client("orders") as orders:
            order = (await orders.get(f"/orders/{order_id}")).json()
            if order.get("status") != "option":
                self.optioned.append(order_id)  # its hold not confirmed yet: later
                return None
            paid = await orders.post(f"/orders/{order_id}/payments", json={"amount": order["total"], "method": "card"})
        if paid.status_code == 201:
            self.paid.append(order_id)
        return paid.status_code

    async def invoicing(self) -> int | None:
        if not self.paid:
            return None
        async with self.platform.client("orders") as orders:
            return (await orders.post(f"/orders/{self.paid.pop(0)}/invoicing")).status_code

    async def search(self) -> int:
        async with self.platform.client("clients") as clients:
            return (await clients.get("/clients", params={"q": "soak", "limit": 20})).status_code

    def minute_report(self, minute: int) -> None:
        figures = []
        for kind in WEIGHTS:
            samples = sorted(self.latencies.pop(kind, []))
            if samples:
                p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
                figures.append(f"{kind} {len(samples)}: p50 {statistics.median(samples) * 1000:.0f} ms, "
                               f"p99 {p99 * 1000:.0f} ms")
        errors = dict(self.errors) or "none"
        self.errors.clear()
        print(f"minute {minute:>2}: " + "; ".join(figures) + f"; 5xx: {errors}", flush=True)


async def service_figures(platform: Platform) -> dict[str, dict[str, float]]:
    """Per service: RSS of its process, outbox backlog and dead letters from its /metrics."""
    figures = {}
    async with httpx.AsyncClient(timeout=10) as http:
        for name, process in platform.processes.items():
            metrics = (await http.get(f"{process.url}/metrics")).text
            values = {line.split("{")[0]: float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                      if line.startswith(("colo_outbox_backlog{", "colo_dead_letters{"))}
            figures[name] = {"rss": rss_mib(process.process.pid), "backlog": values.get("colo_outbox_backlog", 0),
                             "dead": values.get("colo_dead_letters", 0)}
    return figures


async def main(arguments: argparse.Namespace) -> None:
    infra = Infra(os.environ.get("COLO_TEST_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432"),
                  os.environ.get("COLO_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672/"),
                  f"soak{uuid.uuid4().hex[:6]}.")
    print(f"Colo soak: {arguments.rate} operations/s for {arguments.minutes} min, {os.cpu_count()} cores, load "
          f"average {' '.join(f'{n:.2f}' for n in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory() as logs:
        async with start_platform(infra, Path(logs)) as platform:
            async with platform.client("stock") as stock:
                stay = (await stock.post("/stays", json={"title": "Séjour d'endurance"})).json()
                departure = (await stock.post(f"/stays/{stay['id']}/departures", json={
                    "start_date": "2027-07-01", "end_date": "2027-07-15", "capacity": 100_000,
                    "base_price": "500.00"})).json()
            soak = Soak(platform, departure["id"])
            await soak.booking()
            start = await service_figures(platform)
            kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
            running: set[asyncio.Task] = set()
            began = time.perf_counter()
            for minute in range(1, arguments.minutes + 1):
                while time.perf_counter() - began < minute * 60:
                    task = asyncio.create_task(soak.operation(random.choices(kinds, weights)[0]))
                    running.add(task)
                    task.add_done_callback(running.discard)
                    await asyncio.sleep(1 / arguments.rate)
                soak.minute_report(minute)
            await asyncio.gather(*running)
            end = await service_figures(platform)
    print("service        RSS start -> end    outbox backlog start -> end    dead letters")
    for name in start:
        print(f"{name:<14} {start[name]['rss']:>5.0f} -> {end[name]['rss']:>4.0f} MiB   "
              f"{start[name]['backlog']:>10.0f} -> {end[name]['backlog']:<10.0f}        {end[name]['dead']:.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=20, help="how long the load lasts (20 minutes by default)")
    parser.add_argument("--rate", type=float, default=5, help="operations offered per second")
    sys.exit(asyncio.run(main(parser.parse_args())))
