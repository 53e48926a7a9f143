"""Consents to be contacted, with their history: who, when, which channel; re-confirmed at each order."""
import uuid

from clients.domain.consents import Change, changes
from shared import events
from shared.testing import BusSpy, auth, eventually


def test_only_changes_are_recorded_except_at_a_confirmation_which_restates_every_answer():
    now = {"newsletter": True, "partner_offers": False}
    assert changes(now, {"newsletter": True}) == []
    assert changes(now, {"partner_offers": True}) == [Change("partner_offers", True, "given")]
    assert changes(now, {"newsletter": False, "partner_offers": False}, confirming=True) == [
        Change("newsletter", False, "withdrawn"), Change("partner_offers", False, "confirmed")]


async def test_consents_change_with_who_when_and_channel_and_are_reconfirmed_by_an_order(clients, samples, applied,
                                                                                         bus: BusSpy):
    client = (await clients.post("/clients", json={"kind": "private", "last_name": "Martin"})).json()
    url = f"/clients/{client['id']}/consents"
    never = (await clients.get(url)).json()
    assert never["newsletter"] == {"granted": False, "channel": None, "recorded_by": None, "recorded_at": None}

    given = await clients.put(url, json={"newsletter": True, "channel": "phone"})
    assert given.status_code == 200, given.text
    assert (given.json()["newsletter"]["granted"], given.json()["newsletter"]["channel"]) == (True, "phone")
    assert given.json()["newsletter"]["recorded_by"] == "operator@test"
    assert given.json()["partner_offers"]["granted"] is False

    async def announced():
        found = [e for e in bus.of_type(events.ClientUpdated, client_id=client["id"]) if e.aggregate_version == 2]
        return found[0] if found else None

    assert (await eventually(announced)).data["newsletter_consent"] is True

    order_id = uuid.uuid4()
    answers = events.ConsentAnswers(newsletter=True, partner_offers=True, recorded_by="claire@front-office")
    placed = samples.order_event(events.OrderPlaced, client["id"], order_id, "pending", consents=answers)
    await applied(await bus.publish(placed, order_id, 1))
    await applied(await bus.publish(placed.model_copy(), order_id, 1))  # published again: a new envelope
    now = (await clients.get(url)).json()
    assert (now["partner_offers"]["granted"], now["partner_offers"]["channel"]) == (True, "order")
    first, *at_order = (await clients.get(f"{url}/history")).json()["items"]
    assert (first["topic"], first["action"], first["channel"], first["recorded_by"]) == \
        ("newsletter", "given", "phone", "operator@test")
    assert sorted((h["topic"], h["action"], h["channel"], h["recorded_by"], h["order_id"]) for h in at_order) == [
        ("newsletter", "confirmed", "order", "claire@front-office", str(order_id)),
        ("partner_offers", "given", "order", "claire@front-office", str(order_id)),
    ]
    assert (await clients.get(f"/clients/{client['id']}")).json()["version"] == 3
    bad = await clients.put(url, json={"newsletter": "maybe", "channel": "pigeon"})
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"body.newsletter",
                                                                                   "body.channel"}


async def test_an_order_without_answers_records_none_and_no_service_confirms_consents_by_http(clients, samples,
                                                                                             applied, bus: BusSpy):
    client = await samples.make_client(clients)
    order_id = uuid.uuid4()
    await applied(await bus.publish(samples.order_event(events.OrderPlaced, client["id"], order_id, "pending"),
                                    order_id, 1))
    assert (await clients.get(f"/clients/{client['id']}/consents/history")).json()["items"] == []
    gone = await clients.post(f"/clients/{client['id']}/consents/confirmation", headers=auth("service", sub="orders"),
                              json={"newsletter": True, "partner_offers": True})
    assert gone.status_code in (404, 405)
