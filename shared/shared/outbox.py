"""The outbox relay: publishes committed events with publisher confirms, then marks them sent.

Replicas share the work safely: rows are claimed with `FOR UPDATE SKIP LOCKED`, and only the oldest
unsent row of each aggregate is claimable, so one aggregate's events leave in version order. The
relay wakes on `NOTIFY colo_outbox` (sent by `UnitOfWork.commit`) and polls as a fallback.
"""
import asyncio
import json
from collections import Counter
from datetime import datetime

import aio_pika
import asyncpg
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared import metrics
from shared.bus import Broker
from shared.clock import Clock
from shared.db import OUTBOX_CHANNEL, OutboxRow
from shared.logging import log
from shared.settings import ServiceSettings
from shared.tracing import publishing

CLAIM = text(
    """
    SELECT o.seq FROM outbox o
    WHERE o.sent_at IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM outbox p
        WHERE p.sent_at IS NULL AND p.aggregate_type = o.aggregate_type
          AND p.aggregate_id = o.aggregate_id AND p.seq < o.seq)
    ORDER BY o.seq
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
    """
)


class Relay:
    def __init__(
        self, broker: Broker, settings: ServiceSettings, sessions: async_sessionmaker[AsyncSession], clock: Clock
    ) -> None:
        self.broker = broker
        self.settings = settings
        self.sessions = sessions
        self.clock = clock
        self._wake = asyncio.Event()

    async def run(self) -> None:
        listener = asyncio.create_task(self._listen())
        try:
            channel = await self.broker.channel(confirms=True)
            exchange = await channel.declare_exchange(self.settings.exchange, aio_pika.ExchangeType.TOPIC, durable=True)
            while True:
                try:
                    published = await self.publish_batch(exchange)
                except Exception as error:  # noqa: BLE001 - broker or database down: retry after the poll delay
                    log.warning("outbox.relay_failed", error=str(error))
                    published = 0
                if published:
                    continue
                try:
                    # Not asyncio.wait_for: on Python 3.11 it swallows a cancellation that arrives as the
                    # event is set (a NOTIFY at shutdown), and the relay then never stops.
                    async with asyncio.timeout(self.settings.outbox_poll_seconds):
                        await self._wake.wait()
                except TimeoutError:
                    pass
                self._wake.clear()
        finally:
            listener.cancel()

    async def publish_batch(self, exchange: aio_pika.abc.AbstractExchange) -> int:
        async with self.sessions() as session, session.begin():
            seqs = (await session.execute(CLAIM, {"limit": self.settings.outbox_batch})).scalars().all()
            if not seqs:
                return 0
            rows = (await session.execute(select(OutboxRow).where(OutboxRow.seq.in_(seqs)))).scalars().all()
            results = await asyncio.gather(*(self._publish(exchange, row) for row in rows), return_exceptions=True)
            sent = [row.seq for row, result in zip(rows, results, strict=True) if not isinstance(result, BaseException)]
            if sent:
                await session.execute(
                    update(OutboxRow).where(OutboxRow.seq.in_(sent)).values(sent_at=self.clock.now())
                )
            failures = [result for result in results if isinstance(result, BaseException)]
            published = Counter(row.envelope["type"] for row in rows if row.seq in sent)
        for event_type, count in published.items():  # once marked sent: the business counters count each event once
            metrics.EVENTS_PUBLISHED.labels(self.settings.service_name, event_type).inc(count)
        if failures:
            raise failures[0]
        return len(sent)

    async def _publish(self, exchange: aio_pika.abc.AbstractExchange, row: OutboxRow) -> None:
        envelope = row.envelope
        with publishing(envelope["type"], envelope.get("traceparent")) as headers:
            await exchange.publish(
                aio_pika.Message(
                    body=json.dumps(envelope).encode(),
                    headers=headers,
                    content_type="application/json",
                    message_id=str(row.event_id),
                    correlation_id=envelope["correlation_id"],
                    type=envelope["type"],
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key=row.routing_key,
                timeout=10,
            )

    async def _listen(self) -> None:
        """LISTEN on a dedicated connection; reconnects when the database goes away."""
        dsn = self.settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
        while True:
            try:
                connection = await asyncpg.connect(
                    dsn, server_settings={"application_name": self.settings.service_name})
                try:
                    await connection.add_listener(OUTBOX_CHANNEL, lambda *_: self._wake.set())
                    while True:
                        await asyncio.sleep(5)
                        await connection.execute("SELECT 1")
                finally:
                    await connection.close()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                log.warning("outbox.listen_failed", error=str(error))
                await asyncio.sleep(2)


async def backlog(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, datetime | None]:
    """How many events wait to be published, and when the oldest of them was committed (None: none waits)."""
    async with sessions() as session:
        count, oldest = (await session.execute(
            select(func.count(), func.min(OutboxRow.created_at)).where(OutboxRow.sent_at.is_(None)))).one()
        return count, oldest
