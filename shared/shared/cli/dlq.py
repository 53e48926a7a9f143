"""`colo-dlq SERVICE list|show ID...|replay ID...|replay --all|drop ID... --reason TEXT`: the dead letters of a service.

Messages are read without being removed; a replayed message goes back to the service's own queue
only (not to the exchange, so other services do not see it twice), with its retry count reset.
A dropped message is gone for good: the reason is required, and logged with the message's id and type.
"""
import argparse
import asyncio
import json
import sys

import aio_pika
from aio_pika.abc import AbstractIncomingMessage
from aio_pika.exceptions import QueueEmpty

from shared.bus import ATTEMPT_HEADER, ERROR_HEADER, ERROR_MESSAGE_HEADER, ERROR_TYPE_HEADER, TRACEBACK_HEADER
from shared.logging import configure_logging, log
from shared.settings import ServiceSettings

FAILURE_HEADERS = (ATTEMPT_HEADER, ERROR_HEADER, ERROR_TYPE_HEADER, ERROR_MESSAGE_HEADER, TRACEBACK_HEADER)


def summary(message: AbstractIncomingMessage) -> dict[str, object]:
    headers = message.headers or {}
    try:
        envelope = json.loads(message.body)
    except ValueError:
        envelope = {}
    return {
        "id": message.message_id,
        "type": envelope.get("type"),
        "routing_key": headers.get("x-colo-routing-key"),
        "failed_at": headers.get("x-colo-failed-at"),
        "error_type": headers.get(ERROR_TYPE_HEADER),
        "error_message": headers.get(ERROR_MESSAGE_HEADER),
        "error": headers.get(ERROR_HEADER),
        "traceback": headers.get(TRACEBACK_HEADER),
        "envelope": envelope or message.body.decode(errors="replace"),
    }


def one_line(row: dict[str, object]) -> str:
    """The error's type and its whole message on one line (a validation error's message spans several)."""
    if row["error_type"] is None:  # dead-lettered before the type was recorded
        return " | ".join(str(row["error"] or "").split("\n"))
    lines = [line.strip() for line in str(row["error_message"]).splitlines() if line.strip()]
    return f"{row['error_type']}: {' | '.join(lines)}"


async def read_all(channel: aio_pika.abc.AbstractChannel, queue_name: str) -> list[AbstractIncomingMessage]:
    """Every message of the queue, unacknowledged: closing the channel puts them back."""
    queue = await channel.declare_queue(queue_name, passive=True)
    messages = []
    while True:
        try:
            messages.append(await queue.get(no_ack=False, timeout=5))
        except QueueEmpty:
            return messages


async def run(settings: ServiceSettings, action: str, ids: list[str], every: bool, reason: str | None = None) -> int:
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        messages = await read_all(channel, settings.queue("dlq"))
        if action == "list":
            for message in messages:
                row = summary(message)
                print(f"{row['id']}  {row['type']}  {row['failed_at']}  {one_line(row)}")
            print(f"{len(messages)} dead letter(s) in {settings.queue('dlq')}")
            return 0
        chosen = [m for m in messages if every or m.message_id in ids]
        missing = set(ids) - {m.message_id for m in chosen}
        if missing:
            print(f"not in the dead-letter queue: {', '.join(sorted(missing))}", file=sys.stderr)
            return 1
        if action == "show":
            for message in chosen:
                print(json.dumps(summary(message), indent=2, default=str))
            return 0
        if action == "drop":
            for message in chosen:
                await message.ack()
                log.warning("dead_letter.dropped", message_id=message.message_id, type=summary(message)["type"],
                            reason=reason, queue=settings.queue("dlq"))
                print(f"dropped {message.message_id}")
            return 0
        for message in chosen:
            headers = {k: v for k, v in (message.headers or {}).items() if k not in FAILURE_HEADERS}
            await channel.default_exchange.publish(
                aio_pika.Message(
                    body=message.body,
                    headers=headers,
                    content_type=message.content_type,
                    message_id=message.message_id,
                    correlation_id=message.correlation_id,
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key=settings.queue("events"),
            )
            await message.ack()
            print(f"replayed {message.message_id}")
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("service", choices=["clients", "orders", "billing", "notifications", "stock", "identity"])
    parser.add_argument("action", choices=["list", "show", "replay", "drop"])
    parser.add_argument("ids", nargs="*", help="message ids (the event ids), for show, replay and drop")
    parser.add_argument("--all", action="store_true", help="replay or drop every dead letter")
    parser.add_argument("--reason", help="why the messages are dropped (required by drop; it is logged)")
    args = parser.parse_args(argv)
    if args.action != "list" and not args.ids and not args.all:
        parser.error(f"{args.action} needs message ids or --all")
    if args.action == "drop" and not (args.reason or "").strip():
        parser.error("drop needs --reason: why these messages may be lost")
    settings = ServiceSettings(service_name=args.service)
    configure_logging(args.service, settings.log_level, settings.log_json)
    return asyncio.run(run(settings, args.action, args.ids, args.all, args.reason))


if __name__ == "__main__":
    sys.exit(main())
