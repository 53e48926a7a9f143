"""The reference a booking is measured against: the same booking as a monolith would write it.

One FastAPI process on asyncpg, one transaction per booking: the departure's conditional stock update,
the order row and the confirmation mail's row, then the answer. No broker, no second service. Run as a
module, it is that process (`python -m bench.monolith --port P --dsn D`); `measure()` starts it, books
through HTTP at a fixed concurrency and returns bookings per second, so that `bench/saga.py` prints it
beside Colo's saga in the same run.
"""
import argparse
import asyncio
import subprocess
import sys
import time
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx
import uvicorn
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

SCHEMA = """
CREATE TABLE departures (id uuid PRIMARY KEY, capacity int NOT NULL, held int NOT NULL DEFAULT 0,
                         price numeric(12, 2) NOT NULL, CHECK (held <= capacity));
CREATE TABLE orders (id uuid PRIMARY KEY, client_id uuid NOT NULL, departure_id uuid NOT NULL REFERENCES departures,
                     places int NOT NULL, total numeric(12, 2) NOT NULL, status text NOT NULL,
                     created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE mails (id bigserial PRIMARY KEY, order_id uuid NOT NULL REFERENCES orders, recipient text NOT NULL,
                    template text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
"""
HOLD = """
UPDATE departures SET held = held + $2 WHERE id = $1 AND capacity - held >= $2 RETURNING price
"""


class Booking(BaseModel):
    client_id: uuid.UUID
    departure_id: uuid.UUID
    places: int = 1
    email: str


def app(dsn: str) -> FastAPI:
    pool: asyncpg.Pool

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        nonlocal pool
        pool = await asyncpg.create_pool(dsn, min_size=4, max_size=10)
        yield
        await pool.close()

    monolith = FastAPI(lifespan=lifespan)

    @monolith.post("/bookings", status_code=201)
    async def book(booking: Booking) -> dict[str, str]:
        async with pool.acquire() as connection, connection.transaction():
            price = await connection.fetchval(HOLD, booking.departure_id, booking.places)
            if price is None:
                raise HTTPException(409, "not enough places")
            order_id = uuid.uuid4()
            await connection.execute(
                "INSERT INTO orders (id, client_id, departure_id, places, total, status) VALUES ($1, $2, $3, $4, $5, "
                "'option')", order_id, booking.client_id, booking.departure_id, booking.places, price * booking.places)
            await connection.execute("INSERT INTO mails (order_id, recipient, template) VALUES ($1, $2, "
                                     "'option_confirmation')", order_id, booking.email)
        return {"id": str(order_id), "status": "option"}

    return monolith


async def prepare(admin_dsn: str, name: str, capacity: int) -> tuple[str, uuid.UUID]:
    """A scratch database with the monolith's schema and one departure; its DSN and the departure's id."""
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    dsn = admin_dsn.rsplit("/", 1)[0] + f"/{name}"
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(SCHEMA)
        departure = uuid.uuid4()
        await connection.execute("INSERT INTO departures (id, capacity, price) VALUES ($1, $2, 500)", departure,
                                 capacity)
    finally:
        await connection.close()
    return dsn, departure


async def drop(admin_dsn: str, name: str) -> None:
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def measure(admin_dsn: str, port: int, bookings: int, concurrency: int, log: Path) -> float:
    """Bookings per second through the monolith's HTTP API, `concurrency` at a time, like the saga's burst."""
    name = f"colo_bench_monolith_{uuid.uuid4().hex[:6]}"
    dsn, departure = await prepare(admin_dsn, name, capacity=10 * bookings)
    with log.open("ab") as output:
        process = subprocess.Popen([sys.executable, "-m", "bench.monolith", "--port", str(port), "--dsn", dsn],
                                   stdout=output, stderr=subprocess.STDOUT, cwd=Path(__file__).parents[1])
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            await _wait_up(http, process)
            body = {"client_id": str(uuid.uuid4()), "departure_id": str(departure), "email": "banc@example.fr"}
            semaphore = asyncio.Semaphore(concurrency)

            async def book() -> None:
                async with semaphore:
                    response = await http.post("/bookings", json=body)
                    response.raise_for_status()

            await asyncio.gather(*(book() for _ in range(concurrency * 5)))  # warm the pool and the plans
            started = time.perf_counter()
            await asyncio.gather(*(book() for _ in range(bookings)))
            return bookings / (time.perf_counter() - started)
    finally:
        process.terminate()
        process.wait(timeout=15)
        await drop(admin_dsn, name)


async def _wait_up(http: httpx.AsyncClient, process: subprocess.Popen) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError("the monolith exited while starting")
        try:
            await http.get("/docs")
            return
        except httpx.TransportError:
            await asyncio.sleep(0.05)
    raise RuntimeError("the monolith did not start")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dsn", required=True)
    arguments = parser.parse_args()
    uvicorn.run(app(arguments.dsn), host="127.0.0.1", port=arguments.port, log_level="warning", access_log=False)
