"""The consumer: duplicates have one effect, failures are retried with growing delays then dead-lettered,
and the ops command lists, shows and replays dead letters."""
import uuid

import pytest
from sqlalchemy import func, select

from shared.bus import ATTEMPT_HEADER, ERROR_HEADER
from shared.cli import dlq
from shared.db import InboxRow
from shared.testing import BusSpy, eventually


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
        shown = capsys.readouterr().out
        assert '"type": "notebook.pinged"' in shown and "broken handler on doomed" in shown
        assert await dlq.run(settings, "show", [str(uuid.uuid4())], False) == 1

        notebook.control.broken = False
        assert await dlq.run(settings, "replay", [str(doomed.id)], False) == 0
        assert f"replayed {doomed.id}" in capsys.readouterr().out
        await eventually(lambda: _received(notebook, "doomed"))
        assert [m.message_id for m in await dlq_messages(settings.queue("dlq"))] == [str(kept.id)]
    assert await notebook.received("doomed") == 1
    assert [e.id for e in bus.seen].count(doomed.id) == 1, "a replay must not go through the exchange"


def test_the_ops_command_needs_ids_to_show_or_replay(capsys):
    with pytest.raises(SystemExit) as exit_:
        dlq.main(["stock", "replay"])
    assert exit_.value.code == 2
    assert "replay needs message ids or --all" in capsys.readouterr().err


async def _received(notebook, label: str) -> bool:
    return await notebook.received(label) >= 1


async def _handled(notebook, *event_ids: uuid.UUID) -> bool:
    count = await notebook.scalar(select(func.count()).select_from(InboxRow).where(InboxRow.event_id.in_(event_ids)))
    return count == len(event_ids)


async def _dead_letters(read, settings, count: int) -> bool:
    return len(await read(settings.queue("dlq"))) >= count
