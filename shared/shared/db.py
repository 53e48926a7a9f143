"""Async SQLAlchemy engine, the backbone tables every service database has, and the unit of work.

A service declares its own tables on its own `DeclarativeBase`; its Alembic history covers both
that metadata and `BACKBONE_METADATA` (outbox, inbox, aggregate versions).
"""
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import BigInteger, DateTime, Index, Integer, MetaData, String, text
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.clock import Clock
from shared.events import Envelope, Event
from shared.logging import current_correlation_id
from shared.tracing import current_traceparent

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
OUTBOX_CHANNEL = "colo_outbox"


def service_metadata() -> MetaData:
    """A metadata with the naming convention every Colo schema uses, for a service's own Base."""
    return MetaData(naming_convention=NAMING)


class Backbone(DeclarativeBase):
    metadata = service_metadata()


class OutboxRow(Backbone):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_unsent", "aggregate_type", "aggregate_id", "seq", postgresql_where=text("sent_at IS NULL")),
    )

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    event_id: Mapped[UUID] = mapped_column(unique=True)
    routing_key: Mapped[str] = mapped_column(String(200))
    aggregate_type: Mapped[str] = mapped_column(String(50))
    aggregate_id: Mapped[str] = mapped_column(String(100))
    envelope: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class InboxRow(Backbone):
    """One row per event a consumer has applied: the primary key is the idempotency guard."""

    __tablename__ = "inbox"

    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    event_type: Mapped[str] = mapped_column(String(200))
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AggregateVersion(Backbone):
    """The newest version of another service's aggregate that this service has applied."""

    __tablename__ = "aggregate_versions"

    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    aggregate_type: Mapped[str] = mapped_column(String(50), primary_key=True)
    aggregate_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class ProcessedRequest(Backbone):
    """The first answer to a request sent with an Idempotency-Key, replayed on retries."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[Any] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


BACKBONE_METADATA = Backbone.metadata


def make_engine(url: str, pool_size: int = 10, max_connections: int | None = None, pool_timeout: float = 30.0,
                name: str | None = None) -> AsyncEngine:
    """A pool keeping `pool_size` connections while idle and opening up to `max_connections` (twice `pool_size`
    unless told) under load, the extra ones closed when returned; a checkout waits `pool_timeout` seconds at most.
    `name` is the connections' application_name, so that pg_stat_activity tells who holds them."""
    most = max(max_connections or 2 * pool_size, 1)
    return create_async_engine(url, pool_size=min(pool_size, most), max_overflow=max(most - pool_size, 0),
                               pool_timeout=pool_timeout, pool_pre_ping=True,
                               connect_args={"server_settings": {"application_name": name}} if name else {})


class UnitOfWork:
    """One database transaction and the events it causes, written to the outbox in that same transaction."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        producer: str,
        correlation_id: str | None = None,
        causation_id: str | None = None,
    ) -> None:
        self._sessions = sessions
        self.clock = clock
        self.producer = producer
        self.correlation_id = correlation_id or current_correlation_id() or str(UUID(int=0))
        self.causation_id = causation_id
        self._emitted = False

    async def __aenter__(self) -> "UnitOfWork":
        self.session = self._sessions()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.session.close()

    def emit(self, event: Event, aggregate_id: UUID | str, aggregate_version: int) -> Envelope:
        envelope = Envelope(
            type=event.TYPE,
            version=event.VERSION,
            occurred_at=self.clock.now(),
            producer=self.producer,
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
            aggregate_type=event.AGGREGATE,
            aggregate_id=str(aggregate_id),
            aggregate_version=aggregate_version,
            data=event.model_dump(mode="json"),
            traceparent=current_traceparent(),
        )
        self.session.add(
            OutboxRow(
                event_id=envelope.id,
                routing_key=envelope.routing_key,
                aggregate_type=envelope.aggregate_type,
                aggregate_id=envelope.aggregate_id,
                envelope=envelope.model_dump(mode="json"),
                created_at=envelope.occurred_at,
            )
        )
        self._emitted = True
        return envelope

    before_commit: ClassVar[list[Callable[["UnitOfWork"], Awaitable[None]]]] = []
    """What a service does to every unit of work just before it commits (its aggregates' recorded changes saved)."""

    async def commit(self) -> None:
        for hook in self.before_commit:
            await hook(self)
        if self._emitted:
            await self.session.execute(text(f"NOTIFY {OUTBOX_CHANNEL}"))
            self._emitted = False
        await self.session.commit()

    async def rollback(self) -> None:
        self._emitted = False
        await self.session.rollback()

    async def flush_unique(self, conflict: Exception) -> None:
        """Write what is pending; a unique key another request took since it was checked raises `conflict` (a 409),
        not a 500."""
        try:
            await self.session.flush()
        except IntegrityError as error:
            raise conflict from error

    async def first_delivery(self, consumer: str, envelope: Envelope) -> bool:
        """Record the event in the inbox; False when this consumer has already applied it."""
        inserted = await self.session.execute(
            insert(InboxRow)
            .values(consumer=consumer, event_id=envelope.id, event_type=envelope.type, processed_at=self.clock.now())
            .on_conflict_do_nothing()
            .returning(InboxRow.event_id)
        )
        return inserted.first() is not None

    async def newer_version(self, consumer: str, envelope: Envelope) -> bool:
        """Advance the aggregate's applied version; False when the event is older than what was applied."""
        stmt = insert(AggregateVersion).values(
            consumer=consumer,
            aggregate_type=envelope.aggregate_type,
            aggregate_id=envelope.aggregate_id,
            version=envelope.aggregate_version,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[AggregateVersion.consumer, AggregateVersion.aggregate_type, AggregateVersion.aggregate_id],
            set_={"version": stmt.excluded.version},
            where=AggregateVersion.version < stmt.excluded.version,
        ).returning(AggregateVersion.version)
        return (await self.session.execute(stmt)).first() is not None
