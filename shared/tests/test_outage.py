"""Broker outage: the service stays up, says it is not ready, keeps accepting changes, and catches up by itself."""
import uuid

from shared.testing import BusSpy, eventually


async def test_a_service_cut_off_the_broker_keeps_working_and_delivers_once_reconnected(
    notebook, bus: BusSpy, amqp_proxy
):
    async with notebook.running(amqp_url=f"amqp://guest:guest@127.0.0.1:{amqp_proxy.port}/") as client:
        await amqp_proxy.cut()
        await eventually(lambda: _status(client, "/readyz", 503))
        readiness = (await client.get("/readyz")).json()
        assert readiness == {"ready": False, "checks": {"database": True, "broker": False}}
        assert (await client.get("/healthz")).status_code == 200

        response = await client.post("/notes", json={"text": "written during the outage"})
        assert response.status_code == 201
        note_id = response.json()["id"]
        assert await notebook.unsent() == 1
        metrics = (await client.get("/metrics")).text
        assert 'colo_outbox_backlog{service="notebook"} 1.0' in metrics

        await amqp_proxy.restore()
        await eventually(lambda: _status(client, "/readyz", 200), timeout=30)
        await bus.wait_for(notebook.NoteAdded, timeout=30, note_id=note_id)
        await eventually(lambda: _unsent_is_zero(notebook))

        await bus.publish(notebook.Pinged(label="after the outage"), uuid.uuid4())
        await eventually(lambda: notebook.received("after the outage"), timeout=30)
    assert len(bus.of_type(notebook.NoteAdded, note_id=note_id)) == 1


async def _status(client, path: str, status: int) -> bool:
    return (await client.get(path)).status_code == status


async def _unsent_is_zero(notebook) -> bool:
    return await notebook.unsent() == 0
