"""The consumer: duplicates have one effect, a message's own failures are retried with growing delays then
dead-lettered with their error, and the ops command lists, shows, replays and drops dead letters."""
import json
import uuid
from typing import ClassVar

import aio_pika
import pytest
from sqlalchemy import func, select

from shared.bus import ATTEMPT_HEADER, ERROR_HEADER, ERROR_MESSAGE_HEADER, ERROR_TYPE_HEADER, TRACEBACK_HEADER
from shared.cli import dlq
from shared.db import InboxRow
from shared.events import Event
from shared.testing import BusSpy, eventually


class MisshapenPing(Event):
    """A `notebook.pinged` from a producer that broke the contract: no label."""

    TYPE: ClassVar[str] = "notebook.pinged"
    AGGREGATE: ClassVar[str] = "ping"
    lable: str


async def test_an_event_delivered_twice_has_one_effect(notebook, bus: BusSpy):
    async with notebook.running(prefetch=1):  # one at a time: once "after" is handled, so is the duplicate
        first = await bus.publish(notebook.Pinged(label="twice"), uuid.uuid4())
        await bus.publish(notebook.Pinged(label="twice"), first.aggregate_id, envelope_id=first.id)
        after = await bus.publish(notebook.Pinged(label="after"), uuid.uuid4())
        await eventually(lambda: _received(notebook, "after"))
        await eventually(lambda: _handled(notebook, after.id, first.id))
    assert await notebook.received("twice") == 1
    assert [label for label, _ in notebook.control.calls].count("twice") == 1


async def test_a_handler_failing_once_applies_its_effect_once(notebook, bus: BusSpy):
    notebook.control.fail_next = 1
    async with notebook.running():
        await bus.publish(notebook.Pinged(label="flaky"), uuid.uuid4())
        await eventually(lambda: _received(notebook, "flaky"))
    assert [label for label, _ in notebook.control.calls] == ["flaky", "flaky"]
    assert await notebook.received("flaky") == 1


async def test_a_failing_handler_is_retried_then_dead_lettered_while_the_service_stays_up(
    notebook, bus: BusSpy, dlq_messages
):
    notebook.control.broken = True
    settings = notebook.settings()
    async with notebook.running() as client:
        ping = await bus.publish(notebook.Pinged(label="doomed"), uuid.uuid4())
        [dead] = await eventually(lambda: dlq_messages(settings.queue("dlq")))

        assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/readyz")).status_code == 200
        metrics = (await client.get("/metrics", headers={"Authorization": ""})).text
    assert 'colo_dead_letters{service="notebook"} 1.0' in metrics
    assert 'colo_outbox_backlog{service="notebook"} 0.0' in metrics
    assert 'colo_events_handled_total{event_type="notebook.pinged",outcome="failed",service="notebook"}' in metrics

    assert dead.message_id == str(ping.id)
    assert "RuntimeError: broken handler on doomed" in dead.headers[ERROR_HEADER]
    assert dead.headers[ERROR_TYPE_HEADER] == "RuntimeError"
    assert dead.headers[ERROR_MESSAGE_HEADER] == "broken handler on doomed"
    assert dead.headers[TRACEBACK_HEADER].startswith("Traceback (most recent call last):")
    assert "in on_pinged" in dead.headers[TRACEBACK_HEADER], "the traceback reaches the handler"
    assert dead.headers[ATTEMPT_HEADER] == len(settings.retry_delays)
    assert dead.headers["x-colo-routing-key"] == "notebook.pinged.v1"
    retried_through = [d["queue"] for d in dead.headers["x-death"]]
    assert sorted(retried_through) == sorted(settings.queue(f"retry.{int(d * 1000)}") for d in (0.2, 0.5))

    attempts = [at for label, at in notebook.control.calls if label == "doomed"]
    assert len(attempts) == 1 + len(settings.retry_delays)
    gaps = [later - earlier for earlier, later in zip(attempts, attempts[1:], strict=False)]
    # Lower bounds only: a message cannot leave its delay queue before its TTL.
    assert gaps[0] >= 0.2 * 0.9 and gaps[1] >= 0.5 * 0.9
    assert await notebook.received("doomed") == 0


async def test_the_ops_command_lists_shows_and_replays_a_dead_letter_to_the_service_only(
    notebook, bus: BusSpy, dlq_messages, capsys
):
    notebook.control.broken = True
    settings = notebook.settings()
    async with notebook.running():
        doomed = await bus.publish(notebook.Pinged(label="doomed"), uuid.uuid4())
        kept = await bus.publish(notebook.Pinged(label="kept dead"), uuid.uuid4())
        await eventually(lambda: _dead_letters(dlq_messages, settings, 2))
        capsys.readouterr()

        assert await dlq.run(settings, "list", [], False) == 0
        listing = capsys.readouterr().out
        assert str(doomed.id) in listing and str(kept.id) in listing
        assert "RuntimeError: broken handler on doomed" in listing
        assert "2 dead letter(s)" in listing

        assert await dlq.run(settings, "show", [str(doomed.id)], False) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["type"] == "notebook.pinged" and shown["error_type"] == "RuntimeError"
        assert shown["error_message"] == "broken handler on doomed" and "in on_pinged" in shown["traceback"]
        assert await dlq.run(settings, "show", [str(uuid.uuid4())], False) == 1

        notebook.control.broken = False
        assert await dlq.run(settings, "replay", [str(doomed.id)], False) == 0
        assert f"replayed {doomed.id}" in capsys.readouterr().out
        await eventually(lambda: _received(notebook, "doomed"))
        assert [m.message_id for m in await dlq_messages(settings.queue("dlq"))] == [str(kept.id)]
    assert await notebook.received("doomed") == 1
    assert [e.id for e in bus.seen].count(doomed.id) == 1, "a replay must not go through the exchange"


async def test_data_the_handler_refuses_is_dead_lettered_after_its_retries_with_the_whole_error(
    notebook, bus: BusSpy, dlq_messages, capsys
):
    settings = notebook.settings()
    async with notebook.running():
        sent = await bus.publish(MisshapenPing(lable="typo"), uuid.uuid4())
        [dead] = await eventually(lambda: dlq_messages(settings.queue("dlq")))
        capsys.readouterr()
        assert await dlq.run(settings, "list", [], False) == 0
        listing = capsys.readouterr().out
    assert dead.message_id == str(sent.id) and dead.headers[ATTEMPT_HEADER] == len(settings.retry_delays)
    assert dead.headers[ERROR_TYPE_HEADER] == "pydantic_core._pydantic_core.ValidationError"
    assert "label\n  Field required" in dead.headers[ERROR_MESSAGE_HEADER]
    assert "pydantic_core._pydantic_core.ValidationError: 1 validation error for Pinged | label | Field required" \
        in listing, "the type and the whole message, not the message's last line"
    assert await notebook.received() == 0


async def test_an_unreadable_message_is_dead_lettered_at_once(notebook, bus: BusSpy, dlq_messages):
    settings = notebook.settings()
    async with notebook.running():
        await bus.exchange.publish(aio_pika.Message(b"not an envelope", message_id="garbled"),
                                   routing_key="notebook.pinged.v1")
        [dead] = await eventually(lambda: dlq_messages(settings.queue("dlq")))
    assert dead.message_id == "garbled" and ATTEMPT_HEADER not in dead.headers
    assert dead.headers[ERROR_MESSAGE_HEADER].startswith("unreadable envelope: 1 validation error for Envelope")


async def test_the_ops_command_drops_a_dead_letter_for_a_reason_it_logs(notebook, bus: BusSpy, dlq_messages, capsys):
    notebook.control.broken = True
    settings = notebook.settings()
    async with notebook.running(log_json=True):
        dropped = await bus.publish(notebook.Pinged(label="obsolete"), uuid.uuid4())
        kept = await bus.publish(notebook.Pinged(label="kept dead"), uuid.uuid4())
        await eventually(lambda: _dead_letters(dlq_messages, settings, 2))
    capsys.readouterr()
    assert await dlq.run(settings, "drop", [str(dropped.id)], False, "order deleted since") == 0
    output = capsys.readouterr().out.splitlines()
    assert f"dropped {dropped.id}" in output
    assert [m.message_id for m in await dlq_messages(settings.queue("dlq"))] == [str(kept.id)]
    [logged] = [line for line in map(_json_or_none, output) if line and line["event"] == "dead_letter.dropped"]
    assert logged["message_id"] == str(dropped.id) and logged["type"] == "notebook.pinged"
    assert logged["reason"] == "order deleted since" and logged["level"] == "warning"


def test_the_ops_command_needs_ids_to_show_replay_or_drop_and_a_reason_to_drop(capsys):
    with pytest.raises(SystemExit) as exit_:
        dlq.main(["stock", "replay"])
    assert exit_.value.code == 2
    assert "replay needs message ids or --all" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        dlq.main(["stock", "drop", str(uuid.uuid4())])
    assert exit_.value.code == 2
    assert "drop needs --reason" in capsys.readouterr().err


async def _received(notebook, label: str) -> bool:
    return await notebook.received(label) >= 1


async def _handled(notebook, *event_ids: uuid.UUID) -> bool:
    count = await notebook.scalar(select(func.count()).select_from(InboxRow).where(InboxRow.event_id.in_(event_ids)))
    return count == len(event_ids)


async def _dead_letters(read, settings, count: int) -> bool:
    return len(await read(settings.queue("dlq"))) >= count


def _json_or_none(line: str) -> dict | None:
    try:
        return json.loads(line)
    except ValueError:
        return None
