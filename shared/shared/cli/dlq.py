"""`colo-dlq SERVICE list|show ID|replay ID...|replay --all`: the dead letters of a service.

Messages are read without being removed; a replayed message goes back to the service's own queue
only (not to the exchange, so other services do not see it twice), with its retry count reset.
"""
import argparse
import asyncio
import json
import sys

import aio_pika
from aio_pika.abc import AbstractIncomingMessage
from aio_pika.exceptions import QueueEmpty

from shared.bus import ATTEMPT_HEADER, ERROR_HEADER
from shared.settings import ServiceSettings


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
        "error": headers.get(ERROR_HEADER),
        "envelope": envelope or message.body.decode(errors="replace"),
    }


async def read_all(channel: aio_pika.abc.AbstractChannel, queue_name: str) -> list[AbstractIncomingMessage]:
    """Every message of the queue, unacknowledged: closing the channel puts them back."""
    queue = await channel.declare_queue(queue_name, passive=True)
    messages = []
    while True:
        try:
            messages.append(await queue.get(no_ack=False, timeout=5))
        except QueueEmpty:
            return messages


async def run(settings: ServiceSettings, action: str, ids: list[str], replay_all: bool) -> int:
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        messages = await read_all(channel, settings.queue("dlq"))
        if action == "list":
            for message in messages:
                row = summary(message)
                last_line = (str(row["error"]).splitlines() or [""])[-1]
                print(f"{row['id']}  {row['type']}  {row['failed_at']}  {last_line}")
            print(f"{len(messages)} dead letter(s) in {settings.queue('dlq')}")
            return 0
        chosen = [m for m in messages if replay_all or m.message_id in ids]
        missing = set(ids) - {m.message_id for m in chosen}
        if missing:
            print(f"not in the dead-letter queue: {', '.join(sorted(missing))}", file=sys.stderr)
            return 1
        if action == "show":
            for message in chosen:
                print(json.dumps(summary(message), indent=2, default=str))
            return 0
        for message in chosen:
            headers = {k: v for k, v in (message.headers or {}).items() if k not in (ATTEMPT_HEADER, ERROR_HEADER)}
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
    parser.add_argument("action", choices=["list", "show", "replay"])
    parser.add_argument("ids", nargs="*", help="message ids (the event ids), for show and replay")
    parser.add_argument("--all", action="store_true", help="replay every dead letter")
    args = parser.parse_args(argv)
    if args.action != "list" and not args.ids and not args.all:
        parser.error(f"{args.action} needs message ids or --all")
    settings = ServiceSettings(service_name=args.service)
    return asyncio.run(run(settings, args.action, args.ids, args.all))


if __name__ == "__main__":
    sys.exit(main())
