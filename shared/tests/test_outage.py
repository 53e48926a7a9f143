"""Outages: the broker or the database away for a while. The service stays up and ready for what it can still serve,
its consumer waits the outage out however long it lasts (a good message is never dead-lettered for it), and it all
catches up by itself."""
import uuid

from shared.testing import BusSpy, eventually


async def test_a_service_cut_off_the_broker_keeps_serving_and_delivers_once_reconnected(
    notebook, bus: BusSpy, amqp_proxy
):
    async with notebook.running(amqp_url=f"amqp://guest:guest@127.0.0.1:{amqp_proxy.port}/") as client:
        await amqp_proxy.cut()
        await eventually(lambda: _broker_connected(client, False))
        readiness = await client.get("/readyz")
        assert readiness.status_code == 200, "the HTTP side still serves: an orchestrator must keep it in service"
        assert readiness.json() == {"ready": True, "checks": {"database": True}}
        assert 'colo_broker_connected{service="notebook"} 0.0' in (await client.get("/metrics")).text

        response = await client.post("/notes", json={"text": "written during the outage"})
        assert response.status_code == 201
        note_id = response.json()["id"]
        assert await notebook.unsent() == 1
        metrics = (await client.get("/metrics")).text
        assert 'colo_outbox_backlog{service="notebook"} 1.0' in metrics
        assert _gauge(metrics, 'colo_outbox_oldest_seconds{service="notebook"}') > 0, "the stuck event's age"
        published = f'colo_events_published_total{{event_type="{notebook.NoteAdded.TYPE}",service="notebook"}}'
        before = _gauge(metrics, published, default=0)

        await amqp_proxy.restore()
        await eventually(lambda: _broker_connected(client, True), timeout=30)
        assert 'colo_broker_connected{service="notebook"} 1.0' in (await client.get("/metrics")).text
        await bus.wait_for(notebook.NoteAdded, timeout=30, note_id=note_id)
        await eventually(lambda: _unsent_is_zero(notebook))
        metrics = (await client.get("/metrics")).text
        assert _gauge(metrics, 'colo_outbox_oldest_seconds{service="notebook"}') == 0
        assert _gauge(metrics, published) == before + 1, "the business counter counts the event once, when sent"

        await bus.publish(notebook.Pinged(label="after the outage"), uuid.uuid4())
        await eventually(lambda: notebook.received("after the outage"), timeout=30)
    assert len(bus.of_type(notebook.NoteAdded, note_id=note_id)) == 1


async def test_a_burst_of_events_during_a_database_outage_is_applied_once_each_when_it_returns(
    notebook, bus: BusSpy, postgres_proxy, dlq_messages
):
    settings = notebook.settings()
    labels = [f"burst {i}" for i in range(40)]
    replied = labels[::5]
    async with notebook.running(database_url=notebook.database_through(postgres_proxy)) as client:
        before = await _unavailable_attempts(client)
        await postgres_proxy.cut()
        for label in labels:
            await bus.publish(notebook.Pinged(label=label, reply=label in replied), uuid.uuid4())
        # An outage longer than every retry a failing message gets before the dead-letter queue.
        await eventually(lambda: _more_attempts(client, before + 3 + len(settings.retry_delays)), timeout=30)
        assert (await client.get("/healthz")).json()["consumer"] == {"consuming": True, "outage": True}
        await postgres_proxy.restore()

        await eventually(lambda: _received_rows(notebook, len(labels)), timeout=60)
        await eventually(lambda: _replies(bus, notebook, len(replied)), timeout=30)
        assert (await client.get("/healthz")).json()["consumer"]["outage"] is False
        attempts = await _unavailable_attempts(client) - before
    assert sorted(await notebook.received_labels()) == sorted(labels), "each applied exactly once"
    assert sorted(e.data["label"] for e in bus.of_type(notebook.Ponged)) == sorted(replied), \
        "the relay published each reply once after the outage"
    assert await dlq_messages(settings.queue("dlq")) == []
    assert attempts < settings.prefetch, "while the database was away, the consumer tried one message per pause"


async def _broker_connected(client, connected: bool) -> bool:
    return (await client.get("/healthz")).json()["broker"]["connected"] is connected


async def _unsent_is_zero(notebook) -> bool:
    return await notebook.unsent() == 0


async def _unavailable_attempts(client) -> int:
    """How many times a handler met an outage, from the service's metrics."""
    metrics = (await client.get("/metrics")).text
    counted = [line for line in metrics.splitlines() if line.startswith("colo_events_handled_total{")
               and 'outcome="unavailable"' in line and 'service="notebook"' in line]
    return int(float(counted[0].rsplit(" ", 1)[1])) if counted else 0


async def _more_attempts(client, count: int) -> bool:
    return await _unavailable_attempts(client) >= count


async def _received_rows(notebook, count: int) -> bool:
    return await notebook.received() >= count


async def _replies(bus: BusSpy, notebook, count: int) -> bool:
    return len(bus.of_type(notebook.Ponged)) >= count


def _gauge(metrics: str, name: str, default: float | None = None) -> float:
    """A sample's value in a /metrics page; `default` when it has none yet (a counter never incremented)."""
    values = [float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines() if line.startswith(name + " ")]
    if not values and default is not None:
        return default
    return values[0]
