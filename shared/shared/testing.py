"""Pytest plugin for Colo's tests: real PostgreSQL and RabbitMQ, one namespace per test run.

PostgreSQL and RabbitMQ are used on localhost when they answer there (the project's machines);
otherwise, where a Docker engine is available, they are started with testcontainers.
Every run gets its own bus namespace and its own databases, so runs never see each other's data.
"""
import asyncio
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin

import aio_pika
import httpx
import pytest
import uvicorn
from aiosmtpd.controller import Controller
from cryptography.fernet import Fernet
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.auth import FRONT_OFFICE_ROLES, Principal, SigningKey, issue_token, jwks_of
from shared.bus import queue_names
from shared.cli.smtp_sink import MaildirHandler
from shared.clock import OffsetFileClock, SystemClock
from shared.events import Envelope, Event
from shared.migrations import drop_database, upgrade
from shared.settings import ServiceSettings

T = TypeVar("T")
TEST_KEY = SigningKey.generate()
"""Signs the tests' tokens for this run, as identity's key would: services in the test process are given its public
half (`TEST_JWKS`), and the platform's identity signs with it and publishes it."""
TEST_JWKS = json.dumps(jwks_of(TEST_KEY))
ISSUER, AUDIENCE = "colo-identity", "colo"
SERVICE_SECRETS = {name: secrets.token_urlsafe(32) for name in
                   ("clients", "orders", "billing", "notifications", "stock", "identity")}
"""Each service's client secret at identity for this run."""


@dataclass(frozen=True)
class Infra:
    postgres: str  # e.g. postgresql+asyncpg://postgres@127.0.0.1:5432
    amqp: str
    namespace: str

    def database_url(self, name: str) -> str:
        return f"{self.postgres}/{name}"

    def child(self, name: str) -> "Infra":
        """Same servers, a namespace of its own: nothing published by other tests reaches it."""
        return Infra(self.postgres, self.amqp, f"{self.namespace}{name}.")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    namespace = f"t{uuid.uuid4().hex[:8]}."
    postgres = os.environ.get("COLO_TEST_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432")
    amqp = os.environ.get("COLO_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672/")
    containers = []
    if not _port_open("127.0.0.1", 5432) and "COLO_TEST_POSTGRES" not in os.environ:
        from testcontainers.postgres import PostgresContainer

        pg = PostgresContainer("postgres:16-alpine", driver="asyncpg").start()
        containers.append(pg)
        postgres = pg.get_connection_url().rsplit("/", 1)[0]
    if not _port_open("127.0.0.1", 5672) and "COLO_TEST_AMQP" not in os.environ:
        from testcontainers.rabbitmq import RabbitMqContainer

        rabbit = RabbitMqContainer("rabbitmq:3.13-management-alpine").start()
        containers.append(rabbit)
        amqp = f"amqp://guest:guest@{rabbit.get_container_host_ip()}:{rabbit.get_exposed_port(5672)}/"
    infra = Infra(postgres, amqp, namespace)
    yield infra
    asyncio.run(clean_up(infra))
    for container in containers:
        container.stop()


async def clean_up(infra: Infra) -> None:
    """Drop the run's databases, queues and exchange, so that the machine is left as it was."""
    prefix = f"colo_{infra.namespace.rstrip('.')}_"
    engine = create_async_engine(infra.database_url("postgres"), isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        names = (await connection.execute(
            text("SELECT datname FROM pg_database WHERE starts_with(datname, :p)"), {"p": prefix}
        )).scalars().all()
        for name in names:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()
    connection = await aio_pika.connect(infra.amqp)
    async with connection:
        channel = await connection.channel()
        for service in ("clients", "orders", "billing", "notifications", "stock", "identity"):
            for name in queue_names(ServiceSettings(**config_for(infra, service, ""))):
                await channel.queue_delete(name)
        await channel.exchange_delete(f"{infra.namespace}colo.events")


def migrated_database(infra: Infra, service: str, suffix: str = "") -> str:
    """A fresh database for the service, at head; its URL."""
    url = infra.database_url(f"colo_{infra.namespace.rstrip('.')}_{service}{suffix}")
    drop_database(url)
    upgrade(service, url)
    return url


def config_for(infra: Infra, service: str, database_url: str, **overrides: Any) -> dict[str, Any]:
    """Configuration of a service under test: fast retries, fast polling, the run's namespace; small pools that
    wait long, so that a whole run holds few connections and a loaded machine slows it rather than fails it."""
    values: dict[str, Any] = dict(
        environment="development",
        service_name=service,
        database_url=database_url,
        amqp_url=infra.amqp,
        bus_namespace=infra.namespace,
        jwks=TEST_JWKS,
        retry_delays=[0.2, 0.5],
        outage_delay_seconds=0.2,
        outage_max_delay_seconds=1.6,
        db_connections=4,
        db_pool_size=1,
        db_pool_timeout_seconds=30,
        outbox_poll_seconds=0.5,
        job_interval_seconds=3600,
        http_timeout_seconds=60,
        log_json=False,
        log_level="WARNING",
    )
    if service in SERVICE_SECRETS:
        values["service_client_secret"] = SERVICE_SECRETS[service]
    values.update(overrides)
    return values


def service_settings(cls: type[ServiceSettings], infra: Infra, service: str, database_url: str, **overrides: Any):
    """Settings for a service run in the test process."""
    return cls(**config_for(infra, service, database_url, **overrides))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServiceProcess:
    """A service run as its own OS process with uvicorn, as in production; its log goes to a file."""

    def __init__(self, service: str, config: dict[str, Any], log_dir: Path, port: int | None = None) -> None:
        self.service = service
        self.port = port or free_port()
        self.env = {**os.environ, **{f"COLO_{k.upper()}": json.dumps(v) if isinstance(v, list | bool | dict) else str(v)
                                     for k, v in config.items()}}
        self.log_path = log_dir / f"{service}-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ServiceProcess":
        log_file = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", f"{self.service}.app:create",
             "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log"],
            env=self.env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )
        return self

    async def wait_ready(self, timeout: float = 60) -> None:
        """Ready to serve (`/readyz`), and on the bus, consuming when it has handlers (`/healthz`): an event published
        from then on is not lost."""
        async def ready() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"{self.service} exited; see {self.log_path}:\n{self.log_path.read_text()[-3000:]}")
            try:
                async with httpx.AsyncClient(base_url=self.url, timeout=2) as client:
                    if (await client.get("/readyz")).status_code != 200:
                        return False
                    health = (await client.get("/healthz")).json()
            except httpx.HTTPError:
                return False
            return health["broker"]["connected"] and health.get("consumer", {}).get("consuming", True)

        await eventually(ready, timeout=timeout, interval=0.2)

    def kill(self) -> None:
        """SIGKILL: the process dies at once, as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


class StripeEmulator:
    """colo-stripe-emulator as its own process, as make up runs it, with secrets of its own; it sends its events to
    `webhook_urls`."""

    def __init__(self, directory: Path, webhook_urls: list[str]) -> None:
        self.port = free_port()
        self.secret_key = f"sk_test_{secrets.token_urlsafe(24)}"
        self.webhook_secret = f"whsec_{secrets.token_urlsafe(24)}"
        directory.mkdir(parents=True, exist_ok=True)
        self.secret_key_file = directory / f"stripe_secret_key-{self.port}"
        self.webhook_secret_file = directory / f"stripe_webhook_secret-{self.port}"
        self.secret_key_file.write_text(self.secret_key)
        self.webhook_secret_file.write_text(self.webhook_secret)
        self.webhook_urls = webhook_urls
        self.log_path = directory / f"stripe-emulator-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self) -> dict[str, Any]:
        """What orders needs to use it."""
        return {"online_payments": True, "stripe_api_base": self.url, "stripe_secret_key": self.secret_key,
                "stripe_webhook_secret": self.webhook_secret}

    def api(self) -> httpx.AsyncClient:
        """A client of its API, with its secret key."""
        return httpx.AsyncClient(base_url=self.url, headers={"Authorization": f"Bearer {self.secret_key}"})

    def start(self) -> "StripeEmulator":
        webhooks = [arg for url in self.webhook_urls for arg in ("--webhook-url", url)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shared.cli.stripe_emulator", "--port", str(self.port), "--api-key-file",
             str(self.secret_key_file), "--webhook-secret-file", str(self.webhook_secret_file), *webhooks],
            stdout=self.log_path.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        return self

    async def wait_ready(self, timeout: float = 20) -> None:
        async def listening() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"the emulator exited; see {self.log_path}:\n{self.log_path.read_text()[-3000:]}")
            return _port_open("127.0.0.1", self.port)

        await eventually(listening, timeout=timeout, interval=0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class _HostedForm(HTMLParser):
    """A payment page's form as a browser sees it: where it posts, and its buttons by their label."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.action, self.buttons = "", {}
        self._button: dict[str, str | None] | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.action = attributes.get("action") or ""
        self._button = attributes if tag == "button" else None

    def handle_data(self, data: str) -> None:
        if self._button is not None and data.strip():
            self.buttons[data.strip()] = (self._button["name"], self._button["value"])


async def submit_hosted_page(page_url: str, button: str) -> httpx.Response:
    """Open a payment page and submit its form with the button labelled `button`, as a browser would; the redirect
    it answers (not followed: it leads to the family portal)."""
    async with httpx.AsyncClient() as browser:
        page = await browser.get(page_url)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), page.text
        form = _HostedForm(page.text)
        name, value = form.buttons[button]
        answer = await browser.post(urljoin(page_url, form.action), data={name: value})
    assert answer.status_code == 303, answer.text
    return answer


class TcpProxy:
    """A TCP proxy to cut a service off the broker or its database without touching the server, which others share.

    `cut()` closes every proxied connection and stops listening (new connections are refused);
    `restore()` listens again on the same port.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, upstream_writer}
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def restore(self) -> None:
        await self.start()

    async def close(self) -> None:
        if self._server is not None and self._server.is_serving():
            await self.cut()


async def truncate_all(database_url: str) -> None:
    """Empty every table but Alembic's, between tests."""
    engine = create_async_engine(database_url)
    async with engine.begin() as connection:
        tables = (
            await connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
            )
        ).scalars().all()
        if tables:
            await connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    await engine.dispose()


def token(role: str = "operator", key: SigningKey = TEST_KEY, **claims: Any) -> str:
    """A token as identity issues them, signed with the run's key (or another, to play a forger)."""
    principal = Principal(sub=claims.pop("sub", f"{role}@test"), role=role, **claims)
    return issue_token(key, ISSUER, AUDIENCE, principal, SystemClock().now(), timedelta(hours=1))


def auth(role: str = "operator", **claims: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, **claims)}"}


def front_office_operations(app: FastAPI) -> set[tuple[str, str]]:
    """The (method, path) of the app's operations whose OpenAPI admits a front-office role (`x-roles`): each needs a
    test that one client's token finds nothing of another's."""
    return {(method.upper(), path) for path, operations in app.openapi()["paths"].items()
            for method, operation in operations.items()
            if set(operation.get("x-roles", ())) & set(FRONT_OFFICE_ROLES)}


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Start the app with its lifespan (relay, consumer, jobs) and give an HTTP client to it."""
    async with app.router.lifespan_context(app):
        await eventually(lambda: _ready(app), timeout=30)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=auth()) as client:
            yield client


@asynccontextmanager
async def serving(app: FastAPI, port: int | None = None) -> AsyncIterator[httpx.AsyncClient]:
    """`running`, but over real HTTP on a port of this machine, for callers outside the test process (a payment
    provider's webhooks); a client to it."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port or free_port(), lifespan="on",
                                           log_config=None, access_log=False))
    task = asyncio.create_task(server.serve())
    try:
        async def started() -> bool:
            if task.done():
                raise AssertionError(f"the app did not start: {task.exception()!r}")
            return server.started and await _ready(app)

        await eventually(started, timeout=30)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.config.port}", headers=auth(),
                                     timeout=30) as client:
            yield client
    finally:
        server.should_exit = True
        await task


async def _ready(app: FastAPI) -> bool:
    """Connected, and consuming when the service has handlers: an event published from then on is not lost."""
    consumer = app.state.consumer
    return app.state.broker.ready and (consumer is None or consumer.consuming.is_set())


async def eventually(check: Callable[[], Awaitable[T]], timeout: float = 20, interval: float = 0.05) -> T:
    """Wait until `check()` returns something truthy (a message has travelled); fail after `timeout`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s: last result {result!r}")
        await asyncio.sleep(interval)


class BusSpy:
    """Everything published on the run's exchange, to publish test events and wait for a service's answers."""

    def __init__(self, infra: Infra) -> None:
        self.infra = infra
        self.seen: list[Envelope] = []

    async def start(self) -> None:
        self.connection = await aio_pika.connect_robust(self.infra.amqp)
        self.channel = await self.connection.channel(publisher_confirms=True)
        self.exchange = await self.channel.declare_exchange(
            f"{self.infra.namespace}colo.events", aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await self.channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(self.exchange, routing_key="#")
        await queue.consume(self._on_message, no_ack=True)

    async def _on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        self.seen.append(Envelope.model_validate_json(message.body))

    async def publish(
        self,
        event: Event,
        aggregate_id: str | uuid.UUID,
        aggregate_version: int = 1,
        producer: str = "test",
        envelope_id: uuid.UUID | None = None,
    ) -> Envelope:
        envelope = Envelope(
            id=envelope_id or uuid.uuid4(),
            type=event.TYPE,
            version=event.VERSION,
            occurred_at=SystemClock().now(),
            producer=producer,
            correlation_id=str(uuid.uuid4()),
            aggregate_type=event.AGGREGATE,
            aggregate_id=str(aggregate_id),
            aggregate_version=aggregate_version,
            data=event.model_dump(mode="json"),
        )
        await self.exchange.publish(
            aio_pika.Message(json.dumps(envelope.model_dump(mode="json")).encode(), message_id=str(envelope.id)),
            routing_key=envelope.routing_key,
        )
        return envelope

    def of_type(self, event: type[Event], **match: Any) -> list[Envelope]:
        return [
            e for e in self.seen
            if e.type == event.TYPE and all(str(e.data.get(k)) == str(v) for k, v in match.items())
        ]

    async def wait_for(self, event: type[Event], timeout: float = 20, **match: Any) -> Envelope:
        async def found() -> Envelope | None:
            matches = self.of_type(event, **match)
            return matches[-1] if matches else None

        return await eventually(found, timeout=timeout)

    async def close(self) -> None:
        await self.connection.close()


@pytest.fixture
async def bus(infra: Infra) -> AsyncIterator[BusSpy]:
    spy = BusSpy(infra)
    await spy.start()
    yield spy
    await spy.close()


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes = field(default=b"", repr=False)
    """The message as it came over the wire: what a DKIM signature is checked against."""


class SmtpSink:
    """A real SMTP server on a free port, keeping what it receives; it can be started late to play an outage. Given a
    directory, it also writes each mail there as `colo-smtp-sink` does for `make up` (var/mail/)."""

    def __init__(self, port: int | None = None, directory: Path | None = None) -> None:
        self.port = port or free_port()
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None
        self._maildir = MaildirHandler(directory) if directory else None

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, envelope.content))
        if self._maildir is not None:
            return await self._maildir.handle_DATA(server, session, envelope)
        return "250 Message accepted for delivery"

    def start(self) -> "SmtpSink":
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def to(self, recipient: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if recipient in r.rcpt_tos]

    async def wait_for(self, recipient: str, timeout: float = 20) -> Received:
        async def arrived() -> Received | None:
            return next(iter(self.to(recipient)), None)

        return await eventually(arrived, timeout=timeout)


SERVICES = ("identity", "clients", "stock", "orders", "billing", "notifications")
ARCHIVE_COPY = "archives@colo.local"
SUPERVISION_CODE = "code-superviseur-des-tests"
"""Lets the platform's staff link clients (a reseller and its customers)."""


@dataclass
class Platform:
    """The six services as separate processes, sharing a clock file that moves time for all of them."""

    infra: Infra
    processes: dict[str, ServiceProcess]
    clock_file: Path
    smtp: SmtpSink
    stripe: StripeEmulator
    offset: timedelta = field(default=timedelta(0))
    replicas: list[ServiceProcess] = field(default_factory=list)
    front_port: int = field(default_factory=free_port)
    """Where `start_front`'s gateway listens: orders sends families back there from the payment page."""

    def client(self, service: str, role: str = "operator") -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.processes[service].url, headers=auth(role), timeout=30)

    def move_clock(self, delta: timedelta) -> None:
        self.offset += delta
        OffsetFileClock.set_offset(self.clock_file, self.offset)

    async def start_replica(self, service: str) -> ServiceProcess:
        """One more process of a service on the same database and queues: a competing replica."""
        first = self.processes[service]
        replica = ServiceProcess(service, {}, first.log_path.parent)
        replica.env = dict(first.env)
        replica.start()
        await replica.wait_ready()
        self.replicas.append(replica)
        return replica

    def addresses(self, service: str) -> list[str]:
        """`host:port` of every process of the service, replicas included: the gateway's upstream for it."""
        return [f"127.0.0.1:{p.port}" for p in [self.processes[service], *self.replicas] if p.service == service]

    def gateway(self, directory: Path) -> "GatewayProcess":
        """The gateway in front of every process of each service started so far (not started yet)."""
        return GatewayProcess({name: self.addresses(name) for name in self.processes}, directory)


async def backfill(orders: ServiceProcess) -> None:
    """Fill orders' copies of clients and stock (`colo-orders-backfill`), with the orders process's settings."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "orders.backfill", env=orders.env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT)
    output, _ = await process.communicate()
    assert process.returncode == 0, f"colo-orders-backfill failed:\n{output.decode()[-3000:]}"


@asynccontextmanager
async def start_platform(infra: Infra, log_dir: Path, mail_dir: Path | None = None,
                         settings: dict[str, Any] | None = None) -> AsyncIterator[Platform]:
    """Migrate one database per service, start identity, then the other processes, an SMTP server (writing the mail
    into `mail_dir` too, when given) and the Stripe emulator (orders' card payments, their notifications sent to
    orders); stop them all at the end. Identity signs with the run's key; the others check tokens with the keys it
    publishes, and get their service tokens from it with their own client secrets. `settings` are given to every
    service (an OTLP endpoint, say)."""
    infra = infra.child("platform")
    clock_file = log_dir / "clock"
    OffsetFileClock.set_offset(clock_file, timedelta(0))
    ports = {name: free_port() for name in SERVICES}
    front_port = free_port()
    smtp = SmtpSink(directory=mail_dir).start()
    stripe = StripeEmulator(log_dir, [f"http://127.0.0.1:{ports['orders']}/webhooks/stripe"]).start()
    key_file = log_dir / "signing_key.pem"
    key_file.write_bytes(TEST_KEY.pem())
    identity_url = f"http://127.0.0.1:{ports['identity']}"
    extra: dict[str, dict[str, Any]] = {
        "identity": {"signing_key_files": [str(key_file)],
                     "service_client_hashes": {name: hashlib.sha256(secret.encode()).hexdigest()
                                               for name, secret in SERVICE_SECRETS.items()}},
        "clients": {**{f"{name}_url": f"http://127.0.0.1:{ports[name]}" for name in ("orders", "billing", "notifications")},
                    "health_data_keys": [Fernet.generate_key().decode()], "supervision_code": SUPERVISION_CODE},
        "orders": {"clients_url": f"http://127.0.0.1:{ports['clients']}",
                   "stock_url": f"http://127.0.0.1:{ports['stock']}", "job_interval_seconds": 0.3,
                   "online_payments": True, "stripe_api_base": stripe.url,
                   "stripe_secret_key_file": stripe.secret_key_file,
                   "stripe_webhook_secret_file": stripe.webhook_secret_file,
                   "front_office_url": f"http://127.0.0.1:{front_port}"},
        "stock": {"orders_url": f"http://127.0.0.1:{ports['orders']}"},
        "notifications": {"smtp_port": smtp.port, "job_interval_seconds": 0.2, "archive_copy_address": ARCHIVE_COPY,
                          "billing_url": f"http://127.0.0.1:{ports['billing']}"},
    }
    processes = {}
    for name in SERVICES:
        config = config_for(infra, name, migrated_database(infra, name, "_platform"), clock_file=clock_file,
                            log_level="INFO", log_json=True, identity_url=identity_url,
                            **{**extra.get(name, {}), **(settings or {})})
        config.pop("jwks")
        processes[name] = ServiceProcess(name, config, log_dir, ports[name])
    platform = Platform(infra, processes, clock_file, smtp, stripe, front_port=front_port)
    try:
        await stripe.wait_ready()
        await processes["identity"].start().wait_ready()
        for process in processes.values():
            if process.process is None:
                process.start()
        await asyncio.gather(*(p.wait_ready() for p in processes.values()))
        await backfill(processes["orders"])
        yield platform
    finally:
        for process in [*processes.values(), *platform.replicas]:
            process.stop()
        smtp.stop()
        stripe.stop()
        await clean_up(infra)


@asynccontextmanager
async def isolated_bus(infra: Infra, name: str) -> AsyncIterator[BusSpy]:
    """A spy on a bus namespace of its own: no event left over by other tests reaches it; cleaned up after."""
    spy = BusSpy(infra.child(name))
    await spy.start()
    try:
        yield spy
    finally:
        await spy.close()
        await clean_up(spy.infra)


@asynccontextmanager
async def replicas(infra: Infra, service: str, database_url: str, log_dir: Path, count: int = 2
                   ) -> AsyncIterator[list[ServiceProcess]]:
    """`count` processes of one service on one database and queue, all consuming before this yields."""
    processes = [ServiceProcess(service, config_for(infra, service, database_url), log_dir) for _ in range(count)]
    try:
        for process in processes:
            process.start()
        await asyncio.gather(*(process.wait_ready() for process in processes))
        await eventually(lambda: _consumer_count_is(infra, service, count), timeout=30)
        yield processes
    finally:
        for process in processes:
            process.stop()


async def _consumer_count_is(infra: Infra, service: str, count: int) -> bool:
    connection = await aio_pika.connect(infra.amqp)
    async with connection:
        channel = await connection.channel()
        try:
            queue = await channel.declare_queue(f"{infra.namespace}{service}.events", passive=True)
        except aio_pika.exceptions.ChannelClosed:
            return False
        return queue.declaration_result.consumer_count == count


async def handled_count(process: ServiceProcess, event: type[Event]) -> int:
    """How many events of this type the process applied, from its /metrics."""
    async with httpx.AsyncClient() as client:
        metrics = (await client.get(f"{process.url}/metrics")).text
    handled = [line for line in metrics.splitlines() if line.startswith("colo_events_handled_total{")
               and f'event_type="{event.TYPE}"' in line and 'outcome="ok"' in line]
    return int(float(handled[0].rsplit(" ", 1)[1])) if handled else 0


GATEWAY_TEMPLATE = Path(__file__).resolve().parents[2] / "ops" / "gateway" / "nginx.conf.template"
GATEWAY_UPSTREAMS = ("clients", "orders", "billing", "notifications", "stock", "identity", "web")


def nginx_binary() -> str | None:
    """nginx on the PATH, or where Debian installs it (/usr/sbin is not on every user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


class GatewayProcess:
    """The gateway as make up runs it: nginx from ops/gateway's template, in front of the given upstreams
    (name -> "host:port", or a list of them for replicas). An upstream not given points at a port nothing
    listens on, as a service that is down."""

    def __init__(self, upstreams: dict[str, str | list[str]], directory: Path, read_timeout: str = "60s",
                 port: int | None = None) -> None:
        self.port = port or free_port()
        self.directory = directory
        servers = {name: [f"127.0.0.1:{free_port()}"] for name in GATEWAY_UPSTREAMS}
        servers.update({name: [addresses] if isinstance(addresses, str) else addresses
                        for name, addresses in upstreams.items()})
        self.variables = {
            "COLO_GATEWAY_LISTEN": f"127.0.0.1:{self.port}",
            "COLO_GATEWAY_READ_TIMEOUT": read_timeout,
            **{f"COLO_GATEWAY_UPSTREAM_{name.upper()}": " ".join(f"server {address};" for address in addresses)
               for name, addresses in servers.items()},
        }
        self.log_path = directory / "gateway.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def render(self) -> str:
        """What envsubst makes of the template: each ${COLO_GATEWAY_...} replaced, nginx's own $variables kept."""
        return re.sub(r"\$\{(COLO_GATEWAY_\w+)\}", lambda name: self.variables[name[1]], GATEWAY_TEMPLATE.read_text())

    def start(self) -> "GatewayProcess":
        binary = nginx_binary()
        assert binary, "no nginx binary: `make install` installs it (ops/sysdeps.sh)"
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "nginx.conf").write_text(self.render())
        # As root, nginx would run its workers as nobody, who cannot write into a private temporary directory.
        directives = "daemon off; pid nginx.pid;" + (" user root;" if os.geteuid() == 0 else "")
        log_file = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [binary, "-p", f"{self.directory}/", "-c", "nginx.conf", "-e", "stderr", "-g", directives],
            stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )
        return self

    async def wait_ready(self, timeout: float = 20) -> None:
        async def listening() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"nginx exited; see {self.log_path}:\n{self.log_path.read_text()[-3000:]}")
            return _port_open("127.0.0.1", self.port)

        await eventually(listening, timeout=timeout, interval=0.1)

    def access_log(self) -> list[dict[str, Any]]:
        """The JSON lines of the access log (the error log's lines, plain text, left out)."""
        return [json.loads(line) for line in self.log_path.read_text().splitlines() if line.startswith("{")]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class WebProcess(ServiceProcess):
    """The web application as its own process: it has no database nor bus, so it is ready when it answers."""

    async def wait_ready(self, timeout: float = 60) -> None:
        async def ready() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"web exited; see {self.log_path}:\n{self.log_path.read_text()[-3000:]}")
            try:
                async with httpx.AsyncClient(base_url=self.url, timeout=2) as client:
                    return (await client.get("/readyz")).status_code == 200
            except httpx.HTTPError:
                return False

        await eventually(ready, timeout=timeout, interval=0.2)


@dataclass
class Front:
    """The web application behind the gateway, in front of a platform: what a browser opens is `url`."""

    web: WebProcess
    gateway: GatewayProcess

    @property
    def url(self) -> str:
        return self.gateway.url


@asynccontextmanager
async def start_front(platform: Platform, directory: Path) -> AsyncIterator[Front]:
    """The gateway (every service and the web application behind it) and the web application, which calls the
    services at their own addresses, as make up runs it. Separate from `start_platform`, so that only the browser
    tests pay for it."""
    web_port = free_port()
    upstreams: dict[str, str | list[str]] = {name: f"127.0.0.1:{process.port}"
                                             for name, process in platform.processes.items()}
    gateway = GatewayProcess({**upstreams, "web": f"127.0.0.1:{web_port}"}, directory / "gateway",
                             port=platform.front_port)
    config = {"environment": "development", "service_name": "web", "log_level": "INFO",
              "api_url": f"{gateway.url}/api", "http_timeout_seconds": 30,
              "service_urls": {name: process.url for name, process in platform.processes.items()}}
    web = WebProcess("web", config, directory, web_port)
    try:
        gateway.start()
        web.start()
        await asyncio.gather(gateway.wait_ready(), web.wait_ready())
        yield Front(web, gateway)
    finally:
        web.stop()
        gateway.stop()
