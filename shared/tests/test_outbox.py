"""Transactional outbox and relay: what is committed leaves once, in order; what is rolled back never leaves."""
import uuid

from shared.bus import declare_topology
from shared.clock import FrozenClock
from shared.testing import BusSpy, eventually, running


async def barrier(bus: BusSpy, notebook) -> None:
    """Publish a marker and wait for it: whatever reached the spy's queue before it has been seen."""
    marker = await bus.publish(notebook.Pinged(label="marker"), uuid.uuid4())
    await eventually(lambda: _seen(bus, marker.id))


async def _seen(bus: BusSpy, event_id: uuid.UUID) -> bool:
    return any(e.id == event_id for e in bus.seen)


async def test_a_committed_change_publishes_its_event_with_the_whole_envelope(notebook, bus, frozen_now):
    async with running(notebook.app(FrozenClock(frozen_now))) as client:
        response = await client.post("/notes", json={"text": "hello"}, headers={"X-Correlation-ID": "corr-42"})
        assert response.status_code == 201
        assert response.headers["X-Correlation-ID"] == "corr-42"
        note_id = response.json()["id"]
        envelope = await bus.wait_for(notebook.NoteAdded, note_id=note_id)
        await eventually(lambda: _no_backlog(notebook))
    assert envelope.type == "notebook.note.added" and envelope.version == 1
    assert envelope.routing_key == "notebook.note.added.v1"
    assert envelope.occurred_at == frozen_now
    assert envelope.producer == "notebook"
    assert envelope.correlation_id == "corr-42"
    assert envelope.causation_id is None
    assert (envelope.aggregate_type, envelope.aggregate_id, envelope.aggregate_version) == ("note", note_id, 1)
    assert envelope.data == {"note_id": note_id, "text": "hello"}
    assert isinstance(envelope.id, uuid.UUID)


async def test_an_event_caused_by_an_event_carries_its_correlation_and_causation(notebook, bus):
    async with notebook.running():
        ping = await bus.publish(notebook.Pinged(label="p", reply=True), uuid.uuid4(), 3)
        pong = await bus.wait_for(notebook.Ponged, label="p")
    assert pong.correlation_id == ping.correlation_id
    assert pong.causation_id == str(ping.id)
    assert (pong.aggregate_id, pong.aggregate_version) == (ping.aggregate_id, 4)


async def test_a_rolled_back_change_publishes_nothing(notebook, bus):
    async with notebook.running() as client:
        refused = await client.post("/notes", json={"text": "never", "refuse_after_emit": True})
        assert refused.status_code == 409 and refused.json()["code"] == "refused"
        kept = (await client.post("/notes", json={"text": "kept"})).json()
        await bus.wait_for(notebook.NoteAdded, note_id=kept["id"])
        await barrier(bus, notebook)
    assert [e.data["text"] for e in bus.of_type(notebook.NoteAdded)] == ["kept"]
    assert await notebook.outbox_rows() == 1


async def test_rows_committed_while_no_relay_ran_are_published_when_the_service_starts(notebook, bus):
    """The crash between commit and publish: the rows are committed, nothing sent them; a restart does."""
    note_id = uuid.uuid4()
    async with notebook.uow(correlation_id="before-the-crash") as uow:
        uow.emit(notebook.NoteAdded(note_id=note_id, text="orphan"), note_id, 1)
        await uow.commit()
    assert await notebook.unsent() == 1

    async with notebook.running():
        envelope = await bus.wait_for(notebook.NoteAdded, note_id=note_id)
        await eventually(lambda: _no_backlog(notebook))
    assert envelope.correlation_id == "before-the-crash"


async def test_two_replicas_publish_each_event_once_in_aggregate_order_and_handle_each_once(notebook, bus):
    # As in a deployed service, the queue exists before the relays start: nothing published is unroutable.
    await declare_topology(bus.channel, notebook.settings(), [notebook.Pinged.routing_key()])
    aggregates = [uuid.uuid4() for _ in range(4)]
    versions = 5
    for version in range(1, versions + 1):
        async with notebook.uow() as uow:
            for aggregate in aggregates:
                uow.emit(notebook.Pinged(label=f"{aggregate}:{version}"), aggregate, version)
            await uow.commit()
    total = len(aggregates) * versions
    assert await notebook.unsent() == total

    async with running(notebook.app(outbox_batch=3)), running(notebook.app(outbox_batch=3)):
        await eventually(lambda: _no_backlog(notebook))
        await barrier(bus, notebook)
        await eventually(lambda: _received(notebook, total + 1), timeout=30)  # and the marker
    published = [e for e in bus.of_type(notebook.Pinged) if e.data["label"] != "marker"]
    assert len(published) == len({e.id for e in published}) == total
    for aggregate in aggregates:
        order = [e.aggregate_version for e in published if e.aggregate_id == str(aggregate)]
        assert order == list(range(1, versions + 1)), aggregate
    assert sorted(await notebook.received_labels()) == sorted([e.data["label"] for e in published] + ["marker"])


async def _no_backlog(notebook) -> bool:
    return await notebook.unsent() == 0


async def _received(notebook, count: int) -> bool:
    return await notebook.received() >= count


async def test_the_relay_wakes_on_notify_without_waiting_for_its_poll(notebook, bus):
    async with notebook.running(outbox_poll_seconds=3600) as client:
        note = (await client.post("/notes", json={"text": "wake up"})).json()
        await bus.wait_for(notebook.NoteAdded, note_id=note["id"])
