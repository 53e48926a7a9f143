"""A tiny service, `notebook`, built only from the backbone, to test the backbone on real PostgreSQL and RabbitMQ.

Its route POST /notes writes a note and emits `NoteAdded` (or, asked to, emits and then refuses, so the
transaction rolls back); its handler of `Pinged` writes one `received` row and can be made to fail.
Test modules reach it through the `notebook` fixture, since they cannot import this module.
"""
import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

import aio_pika
import httpx
import pytest
from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import DateTime, String, create_engine, func, make_url, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.app import Service, UoW, create_app
from shared.auth import Staff
from shared.bus import queue_names
from shared.clock import FrozenClock
from shared.db import BACKBONE_METADATA, OutboxRow, UnitOfWork, make_engine, service_metadata
from shared.events import Envelope, Event
from shared.http import get_json
from shared.migrations import create_database, sync_url
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.problems import DomainError
from shared.settings import ServiceSettings
from shared.testing import Infra, TcpProxy, config_for, free_port, running, service_settings, truncate_all

SERVICE = "notebook"
NOW = datetime(2027, 7, 10, 9, 30, tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = service_metadata()


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Received(Base):
    """One row per application of a `Pinged` event: counts the handler's effects."""

    __tablename__ = "received"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    event_id: Mapped[uuid.UUID]
    label: Mapped[str] = mapped_column(String(100))


class NoteAdded(Event):
    TYPE: ClassVar[str] = "notebook.note.added"
    AGGREGATE: ClassVar[str] = "note"
    note_id: uuid.UUID
    text: str


class Pinged(Event):
    TYPE: ClassVar[str] = "notebook.pinged"
    AGGREGATE: ClassVar[str] = "ping"
    label: str
    reply: bool = False


class Ponged(Event):
    TYPE: ClassVar[str] = "notebook.ponged"
    AGGREGATE: ClassVar[str] = "ping"
    label: str


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=200)
    refuse_after_emit: bool = False


class NoteOut(BaseModel):
    id: uuid.UUID
    text: str
    created_at: datetime


@dataclass
class HandlerControl:
    """What the `Pinged` handler does: fail the next `fail_next` calls, or every call while `broken`; and where
    the route that queries another service finds it."""

    fail_next: int = 0
    broken: bool = False
    calls: list[tuple[str, float]] = field(default_factory=list)
    remote_url: str = field(default_factory=lambda: f"http://127.0.0.1:{free_port()}")


def build_service(control: HandlerControl) -> Service:
    router = APIRouter()

    @router.post("/notes", status_code=201)
    async def add_note(body: NoteIn, uow: UoW, _: Staff) -> NoteOut:
        note = Note(id=uuid.uuid4(), text=body.text, created_at=uow.clock.now())
        uow.session.add(note)
        uow.emit(NoteAdded(note_id=note.id, text=note.text), note.id, 1)
        if body.refuse_after_emit:
            raise DomainError("refused", "Refused after the event was emitted: nothing may leave.")
        await uow.commit()
        return NoteOut(id=note.id, text=note.text, created_at=note.created_at)

    @router.get("/notes")
    async def list_notes(uow: UoW, _: Staff, limit: Limit = 50, cursor: Cursor = None) -> Page[NoteOut]:
        rows, next_cursor = await keyset_page(uow.session, select(Note), Note.created_at, Note.id, limit, cursor)
        return Page(items=[NoteOut(id=n.id, text=n.text, created_at=n.created_at) for n in rows],
                    next_cursor=next_cursor)

    @router.get("/troubles/bug")
    async def bug(_: Staff) -> None:
        raise RuntimeError("a bug in a route")

    @router.get("/troubles/remote")
    async def ask_remote(_: Staff) -> None:
        async with httpx.AsyncClient(base_url=control.remote_url) as client:
            await get_json(client, "/anything", "remote")

    async def on_pinged(uow: UnitOfWork, event: Pinged, envelope: Envelope) -> None:
        control.calls.append((event.label, asyncio.get_running_loop().time()))
        if control.fail_next > 0:
            control.fail_next -= 1
            raise RuntimeError(f"flaky handler on {event.label}")
        if control.broken:
            raise RuntimeError(f"broken handler on {event.label}")
        uow.session.add(Received(event_id=envelope.id, label=event.label))
        if event.reply:
            uow.emit(Ponged(label=event.label), envelope.aggregate_id, envelope.aggregate_version + 1)

    return Service(name=SERVICE, title="Notebook", description="The backbone's test service.", routers=[router],
                   handlers={Pinged: on_pinged})


class Notebook:
    """The test service of one test: its settings, apps, database and handler control."""

    def __init__(self, infra: Infra, database_url: str) -> None:
        self.infra = infra
        self.database_url = database_url
        self.control = HandlerControl()
        self.service = build_service(self.control)
        self.engine = make_engine(database_url, 2)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.NoteAdded, self.Pinged, self.Ponged = NoteAdded, Pinged, Ponged

    def settings(self, **overrides: Any) -> ServiceSettings:
        return service_settings(ServiceSettings, self.infra, SERVICE, overrides.pop("database_url", self.database_url),
                                **overrides)

    def app(self, clock: FrozenClock | None = None, **overrides: Any):
        return create_app(self.service, self.settings(**overrides), clock)

    @asynccontextmanager
    async def running(self, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        async with running(self.app(**overrides)) as client:
            yield client

    def database_through(self, proxy: TcpProxy) -> str:
        """The notebook's database reached through the proxy, for an app that must see an outage the test sees past."""
        return make_url(self.database_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)

    def uow(self, correlation_id: str | None = None) -> UnitOfWork:
        return UnitOfWork(self.sessions, FrozenClock(NOW), SERVICE, correlation_id)

    async def scalar(self, query: Any) -> Any:
        async with self.sessions() as session:
            return (await session.execute(query)).scalar_one()

    async def received(self, label: str | None = None) -> int:
        query = select(func.count()).select_from(Received)
        return await self.scalar(query.where(Received.label == label) if label else query)

    async def received_labels(self) -> list[str]:
        async with self.sessions() as session:
            return list((await session.execute(select(Received.label))).scalars())

    async def unsent(self) -> int:
        return await self.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None)))

    async def outbox_rows(self) -> int:
        return await self.scalar(select(func.count()).select_from(OutboxRow))


async def delete_queues(infra: Infra) -> None:
    connection = await aio_pika.connect(infra.amqp)
    async with connection:
        channel = await connection.channel()
        for name in queue_names(ServiceSettings(**config_for(infra, SERVICE, ""))):
            await channel.queue_delete(name)


@pytest.fixture(scope="session")
def notebook_db(infra: Infra) -> str:
    """The notebook's database, named so that the plugin drops it at the end of the run."""
    url = infra.database_url(f"colo_{infra.namespace.rstrip('.')}_{SERVICE}")
    create_database(url)
    engine = create_engine(sync_url(url))
    Base.metadata.create_all(engine)
    BACKBONE_METADATA.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture
async def notebook(infra: Infra, notebook_db: str) -> AsyncIterator[Notebook]:
    """A fresh notebook: empty tables and no queues left by an earlier test."""
    await truncate_all(notebook_db)
    await delete_queues(infra)
    kit = Notebook(infra, notebook_db)
    yield kit
    await kit.engine.dispose()
    await delete_queues(infra)


@pytest.fixture
async def amqp_proxy(infra: Infra) -> AsyncIterator[TcpProxy]:
    url = httpx.URL(infra.amqp)
    proxy = TcpProxy(url.host, url.port or 5672)
    await proxy.start()
    yield proxy
    await proxy.close()


@pytest.fixture
async def postgres_proxy(infra: Infra) -> AsyncIterator[TcpProxy]:
    """A way to the run's PostgreSQL that a test can cut: only the connections through it see the outage."""
    url = make_url(infra.postgres)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    yield proxy
    await proxy.close()


@pytest.fixture
def frozen_now() -> datetime:
    return NOW


@pytest.fixture
async def dlq_messages(infra: Infra):
    """A reader of a queue's messages without consuming them (they go back when the channel closes)."""
    connection = await aio_pika.connect(infra.amqp)

    async def read(queue_name: str) -> list[aio_pika.abc.AbstractIncomingMessage]:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, passive=True)
        messages = []
        while (message := await queue.get(no_ack=False, fail=False)) is not None:
            messages.append(message)
        await channel.close()
        return messages

    yield read
    await connection.close()

