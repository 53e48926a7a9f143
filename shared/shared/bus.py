"""RabbitMQ with aio-pika: topology, a connection that comes back by itself, and the consumer.

Topology, declared idempotently at every start:
- one durable topic exchange (`colo.events`), routing key `<event type>.v<major>`;
- `<service>.events`: the service's quorum queue, bound to the keys it handles; replicas compete on it;
- `<service>.retry.<ms>`: one queue per delay (of a failing message's retries and of the pauses of an outage)
  whose messages expire back into `<service>.events`: a queue per delay, since RabbitMQ expires a message's own
  TTL only at the head of its queue;
- `<service>.dlq`: quorum queue of messages that failed every retry, with the error in their headers.
"""
import asyncio
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustChannel, AbstractRobustConnection
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from structlog.contextvars import bound_contextvars

from shared import metrics
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.events import Envelope, Event
from shared.logging import log
from shared.problems import outage
from shared.settings import ServiceSettings
from shared.tracing import consuming

Handler = Callable[[UnitOfWork, Any, Envelope], Awaitable[None]]
"""An event handler: `async def on_x(uow, event, envelope)`; the consumer commits after it returns."""

ATTEMPT_HEADER = "x-colo-attempt"
ERROR_HEADER = "x-colo-error"
ERROR_TYPE_HEADER = "x-colo-error-type"
ERROR_MESSAGE_HEADER = "x-colo-error-message"
TRACEBACK_HEADER = "x-colo-error-traceback"


class Broker:
    """One robust connection per process; waits for the broker at start instead of failing."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.connection: AbstractRobustConnection | None = None
        self._connected = asyncio.Event()

    async def connect(self) -> None:
        delay = 0.5
        while True:
            try:
                self.connection = await aio_pika.connect_robust(self.settings.amqp_url, reconnect_interval=1.0)
                break
            except Exception as error:  # noqa: BLE001 - whatever the first attempt meets, keep trying
                log.warning("broker.unreachable", error=str(error), retry_in=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        self._connected.set()

    async def wait_connected(self) -> AbstractRobustConnection:
        await self._connected.wait()
        assert self.connection is not None
        return self.connection

    @property
    def ready(self) -> bool:
        return self.connection is not None and not self.connection.is_closed and self.connection.connected.is_set()

    async def channel(self, prefetch: int | None = None, confirms: bool = True) -> AbstractRobustChannel:
        connection = await self.wait_connected()
        channel = await connection.channel(publisher_confirms=confirms)
        if prefetch:
            await channel.set_qos(prefetch_count=prefetch)
        return channel  # type: ignore[return-value]

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()


async def declare_topology(channel: aio_pika.abc.AbstractChannel, settings: ServiceSettings, routing_keys: list[str]):
    """Declare this service's exchange, queues and bindings; safe to run on every start of every replica."""
    exchange = await channel.declare_exchange(settings.exchange, aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(
        settings.queue("events"), durable=True, arguments={"x-queue-type": "quorum"}
    )
    for key in routing_keys:
        await queue.bind(exchange, routing_key=key)
    for delay in delays(settings):
        await channel.declare_queue(
            retry_queue_name(settings, delay),
            durable=True,
            arguments={
                "x-message-ttl": int(delay * 1000),
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": settings.queue("events"),
            },
        )
    await channel.declare_queue(settings.queue("dlq"), durable=True, arguments={"x-queue-type": "quorum"})
    return exchange, queue


def retry_queue_name(settings: ServiceSettings, delay: float) -> str:
    return settings.queue(f"retry.{int(delay * 1000)}")


def outage_delays(settings: ServiceSettings) -> list[float]:
    """The pauses of a consumer during an outage: the first one, doubling, capped."""
    pauses = [min(settings.outage_delay_seconds, settings.outage_max_delay_seconds)]
    while pauses[-1] < settings.outage_max_delay_seconds:
        pauses.append(min(pauses[-1] * 2, settings.outage_max_delay_seconds))
    return pauses


def delays(settings: ServiceSettings) -> list[float]:
    """Every delay that has its queue: those of a failing message's retries and those of an outage."""
    return sorted({*settings.retry_delays, *outage_delays(settings)})


def queue_names(settings: ServiceSettings) -> list[str]:
    """Every queue of the service's topology."""
    return [settings.queue("events"), settings.queue("dlq"), *(retry_queue_name(settings, d) for d in delays(settings))]


async def dead_letter_count(broker: Broker) -> int | None:
    if not broker.ready:
        return None
    channel = await broker.channel(confirms=False)
    try:
        queue = await channel.declare_queue(broker.settings.queue("dlq"), passive=True)
        return queue.declaration_result.message_count or 0
    finally:
        await channel.close()


class Outage:
    """A consumer's pace while its database or a remote service is down.

    The first failure pauses it, each failure after a pause doubles the pause up to the last of `pauses`; while it
    lasts, the messages in flight (up to the prefetch) wait and take their turn one at a time, each after the pause:
    an outage costs one attempt per pause, not one per message in flight. The first success ends it.
    """

    def __init__(self, pauses: list[float]) -> None:
        self.pauses = pauses
        self.level = -1
        self.paused_at = self.resume_at = 0.0
        self._one_at_a_time = asyncio.Lock()

    @property
    def ongoing(self) -> bool:
        return self.level >= 0

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        if self.ongoing:
            async with self._one_at_a_time:
                if self.ongoing:
                    await asyncio.sleep(max(0.0, self.resume_at - asyncio.get_running_loop().time()))
                    yield
                    return
        yield

    def failed(self, started: float) -> float:
        """Pause after an attempt that met the outage; only an attempt started after the last pause lengthens it
        (attempts in flight when the outage began all fail at once)."""
        now = asyncio.get_running_loop().time()
        if not self.ongoing or started >= self.paused_at:
            self.level = min(self.level + 1, len(self.pauses) - 1)
        self.paused_at, self.resume_at = now, now + self.pauses[self.level]
        return self.pauses[self.level]

    def ended(self) -> None:
        if self.ongoing:
            log.info("event.outage_ended")
        self.level = -1


class Consumer:
    """Feeds `<service>.events` to the handlers, one transaction per event with its inbox row.

    A failed handler is never acked as a success. When the infrastructure failed (`shared.problems.outage`: the
    database down or saturated, another service down, a timeout), the message is not at fault: it goes back to
    the queue through a delay queue, as often as it takes, never to the dead-letter queue, and the consumer pauses
    (see `Outage`). Any other failure is the message's: it is retried after each of `retry_delays` (1 s, 10 s, 60 s
    by default), then dead-lettered with its error's type, message and traceback.
    """

    def __init__(
        self,
        broker: Broker,
        settings: ServiceSettings,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        handlers: dict[type[Event], Handler],
    ) -> None:
        self.broker = broker
        self.settings = settings
        self.sessions = sessions
        self.clock = clock
        self.handlers = {cls.routing_key(): (cls, handler) for cls, handler in handlers.items()}
        self.name = settings.service_name
        self.outage = Outage(outage_delays(settings))
        self.consuming = asyncio.Event()
        """Set once the queues are declared and bound and the consumer is on: a test can publish from then on."""

    async def run(self) -> None:
        channel = await self.broker.channel(prefetch=self.settings.prefetch)
        _, queue = await declare_topology(channel, self.settings, sorted(self.handlers))
        self._channel = channel
        await queue.consume(self.on_message)
        self.consuming.set()
        await asyncio.Future()

    async def on_message(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = Envelope.model_validate_json(message.body)
        except ValidationError as error:
            await self._dead_letter(message, error, "unreadable envelope: ")
            return
        context = bound_contextvars(correlation_id=envelope.correlation_id, event_id=str(envelope.id),
                                    event=envelope.type)
        with context, consuming(envelope.type, self.name, message.headers):
            async with self.outage.turn():
                await self._handle(message, envelope)

    async def _handle(self, message: AbstractIncomingMessage, envelope: Envelope) -> None:
        registered = self.handlers.get(envelope.routing_key)
        if registered is None:
            log.info("event.ignored", reason="no handler")
            await message.ack()
            return
        event_cls, handler = registered
        started = asyncio.get_running_loop().time()
        try:
            event = event_cls.model_validate(envelope.data)
            async with UnitOfWork(
                self.sessions, self.clock, self.name, envelope.correlation_id, str(envelope.id)
            ) as uow:
                if await uow.first_delivery(self.name, envelope):
                    await handler(uow, event, envelope)
                else:
                    log.info("event.duplicate")
                await uow.commit()
        except Exception as error:  # noqa: BLE001 - every failure goes to a retry or the dead-letter queue
            if outage(error) is not None:
                metrics.HANDLED.labels(self.name, envelope.type, "unavailable").inc()
                await self._wait_out(message, error, started)
                return
            metrics.HANDLED.labels(self.name, envelope.type, "failed").inc()
            await self._retry_or_dead_letter(message, error)
            return
        self.outage.ended()
        metrics.HANDLED.labels(self.name, envelope.type, "ok").inc()
        metrics.HANDLER_SECONDS.labels(self.name, envelope.type).observe(asyncio.get_running_loop().time() - started)
        await message.ack()

    async def _wait_out(self, message: AbstractIncomingMessage, error: Exception, started: float) -> None:
        """Back to the queue after the outage's pause; the message's own retry count is left as it was."""
        delay = self.outage.failed(started)
        log.warning("event.unavailable", retry_in=delay, error=describe(error))
        await self._republish(message, retry_queue_name(self.settings, delay), {})
        await message.ack()

    async def _retry_or_dead_letter(self, message: AbstractIncomingMessage, error: Exception) -> None:
        attempt = int((message.headers or {}).get(ATTEMPT_HEADER, 0))
        if attempt < len(self.settings.retry_delays):
            delay = self.settings.retry_delays[attempt]
            log.warning("event.retry", attempt=attempt + 1, delay=delay, error=describe(error))
            await self._republish(message, retry_queue_name(self.settings, delay), {ATTEMPT_HEADER: attempt + 1})
            await message.ack()
            return
        log.error("event.dead_lettered", attempts=attempt + 1, error=describe(error), exc_info=error)
        await self._dead_letter(message, error)

    async def _dead_letter(self, message: AbstractIncomingMessage, error: Exception, context: str = "") -> None:
        """To the dead-letter queue, with what an operator needs to decide: the error's type, message and traceback.
        Header values are bounded: a frame holds them all."""
        await self._republish(
            message,
            self.settings.queue("dlq"),
            {
                ERROR_HEADER: (context + describe(error))[:2000],
                ERROR_TYPE_HEADER: error_type(error),
                ERROR_MESSAGE_HEADER: (context + str(error))[:4000],
                TRACEBACK_HEADER: "".join(traceback.format_exception(error))[-8000:],
                "x-colo-failed-at": self.clock.now().isoformat(),
            },
        )
        await message.ack()

    async def _republish(self, message: AbstractIncomingMessage, queue: str, headers: dict[str, Any]) -> None:
        await self._channel.default_exchange.publish(
            aio_pika.Message(
                body=message.body,
                headers={"x-colo-routing-key": message.routing_key, **(message.headers or {}), **headers},
                content_type=message.content_type,
                message_id=message.message_id,
                correlation_id=message.correlation_id,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=queue,
        )


def describe(error: BaseException) -> str:
    """`Type: message`, every line of it."""
    return "".join(traceback.format_exception_only(error)).strip()


def error_type(error: BaseException) -> str:
    cls = type(error)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
