"""Referral: a referrer for a client, the referees of a client, the referrals it has left."""
import uuid

from clients.app import ClientsSettings, create
from shared import events
from shared.testing import BusSpy, eventually, running, service_settings, truncate_all


async def new_client(clients, name):
    return (await clients.post("/clients", json={"kind": "private", "last_name": name})).json()


async def test_a_referrer_sees_its_referees_and_what_remains_of_its_quota(clients, bus: BusSpy):
    marie = await new_client(clients, "Marie")
    paul, anne = await new_client(clients, "Paul"), await new_client(clients, "Anne")
    named = await clients.put(f"/clients/{paul['id']}/referrer", json={"referrer_id": marie["id"]})
    assert named.status_code == 200, named.text
    assert named.json()["referrer_id"] == marie["id"]
    await clients.put(f"/clients/{anne['id']}/referrer", json={"referrer_id": marie["id"]})
    assert (await clients.get(f"/clients/{paul['id']}")).json()["referrer_id"] == marie["id"]

    summary = (await clients.get(f"/clients/{marie['id']}/referral")).json()
    assert (summary["referees"], summary["remaining_referrals"], summary["referrer_id"]) == (2, 8, None)
    referees = (await clients.get(f"/clients/{marie['id']}/referees")).json()["items"]
    assert {c["id"] for c in referees} == {paul["id"], anne["id"]}

    async def announced():
        found = bus.of_type(events.ClientUpdated, client_id=paul["id"])
        return found[0] if found else None

    assert (await eventually(announced)).data["referrer_id"] == marie["id"]

    removed = await clients.put(f"/clients/{anne['id']}/referrer", json={"referrer_id": None})
    assert removed.json()["referrer_id"] is None
    assert (await clients.get(f"/clients/{marie['id']}/referral")).json()["remaining_referrals"] == 9


async def test_no_self_referral_no_loop_no_unknown_referrer(clients):
    marie, paul = await new_client(clients, "Marie"), await new_client(clients, "Paul")
    itself = await clients.put(f"/clients/{marie['id']}/referrer", json={"referrer_id": marie["id"]})
    assert itself.status_code == 422 and itself.json()["errors"][0]["field"] == "body.referrer_id"
    await clients.put(f"/clients/{paul['id']}/referrer", json={"referrer_id": marie["id"]})
    loop = await clients.put(f"/clients/{marie['id']}/referrer", json={"referrer_id": paul["id"]})
    assert loop.status_code == 409 and loop.json()["code"] == "referral_cycle"
    unknown = await clients.put(f"/clients/{marie['id']}/referrer", json={"referrer_id": str(uuid.uuid4())})
    assert unknown.status_code == 422


async def test_a_referrer_at_its_maximum_refers_no_more(infra, clients_db):
    await truncate_all(clients_db)
    async with running(create(service_settings(ClientsSettings, infra, "clients", clients_db,
                                               referral_max=1))) as clients:
        marie = await new_client(clients, "Marie")
        paul, anne = await new_client(clients, "Paul"), await new_client(clients, "Anne")
        assert (await clients.put(f"/clients/{paul['id']}/referrer",
                                  json={"referrer_id": marie["id"]})).status_code == 200
        full = await clients.put(f"/clients/{anne['id']}/referrer", json={"referrer_id": marie["id"]})
        assert full.status_code == 409 and full.json()["code"] == "referral_limit_reached"
