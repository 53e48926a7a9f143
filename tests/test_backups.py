"""A service's database dumped with pg_dump and restored into a fresh database: the service starts on it, serves what
was there, and its outbox publishes what had not left before the dump (docs/operations.md, "Backups and restore")."""
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from shared.events import DepartureCreated
from shared.migrations import create_database, drop_database
from shared.testing import (
    Infra, ServiceProcess, TcpProxy, auth, config_for, eventually, isolated_bus, migrated_database,
)


def client_url(database_url: str) -> str:
    """What pg_dump and pg_restore take: the URL without SQLAlchemy's driver."""
    return database_url.replace("postgresql+asyncpg://", "postgresql://")


def run(tool: str, *args: str) -> None:
    binary = shutil.which(tool)
    assert binary, f"no {tool}: PostgreSQL's client tools are needed to back up and restore"
    result = subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


async def broker_connected(process: ServiceProcess, connected: bool) -> bool:
    async with httpx.AsyncClient(base_url=process.url) as client:
        return (await client.get("/healthz")).json()["broker"]["connected"] is connected


async def test_a_restored_database_serves_its_data_and_its_outbox_resumes(infra: Infra, tmp_path: Path) -> None:
    """Stock with the broker cut off commits a departure whose event cannot leave; dumped, restored into a fresh
    database and started there, stock serves the departure and publishes the event. Databases and queues go with the
    bus's namespace at the end."""
    async with isolated_bus(infra, "restore") as bus:
        source = migrated_database(bus.infra, "stock", "_source")
        broker = urlsplit(bus.infra.amqp)
        proxy = TcpProxy(broker.hostname, broker.port or 5672)
        await proxy.start()
        amqp_through_proxy = bus.infra.amqp.replace(broker.netloc.split("@")[-1], f"127.0.0.1:{proxy.port}")
        process = ServiceProcess("stock", config_for(bus.infra, "stock", source, amqp_url=amqp_through_proxy), tmp_path)
        process.start()
        try:
            await process.wait_ready()
            # The broker away: the departure is committed, its event waits in the outbox.
            await proxy.cut()
            await eventually(lambda: broker_connected(process, False), timeout=30)
            async with httpx.AsyncClient(base_url=process.url, headers=auth("operator")) as stock:
                stay = (await stock.post("/stays", json={"title": "Séjour sauvegardé"})).json()
                departure = (await stock.post(f"/stays/{stay['id']}/departures", json={
                    "start_date": "2027-08-02", "end_date": "2027-08-09", "capacity": 12,
                    "base_price": "410.00"})).json()
        finally:
            process.stop()
            await proxy.close()
        assert not bus.of_type(DepartureCreated, departure_id=departure["id"])

        dump = tmp_path / "colo_stock.dump"
        run("pg_dump", "--format=custom", f"--file={dump}", client_url(source))
        restored = source.replace("_source", "_restored")
        drop_database(restored)
        create_database(restored)
        run("pg_restore", "--no-owner", f"--dbname={client_url(restored)}", str(dump))
        process = ServiceProcess("stock", config_for(bus.infra, "stock", restored), tmp_path).start()
        try:
            await process.wait_ready()
            published = await bus.wait_for(DepartureCreated, timeout=30, departure_id=departure["id"])
            async with httpx.AsyncClient(base_url=process.url, headers=auth("operator")) as stock:
                again = (await stock.get(f"/departures/{departure['id']}")).json()
        finally:
            process.stop()
    assert published.data["stay_title"] == "Séjour sauvegardé" and published.data["stock"]["capacity"] == 12
    assert again["stock"] == {"capacity": 12, "held": 0, "overdue": 0, "confirmed": 0, "free": 12}
