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


async def test_consents_change_with_who_when_and_channel_and_the_event_carries_them(clients, bus: BusSpy):
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

    order_id = str(uuid.uuid4())
    confirmed = await clients.post(f"{url}/confirmation", headers=auth("service", sub="orders"),
                                   json={"newsletter": True, "partner_offers": True, "order_id": order_id})
    assert confirmed.status_code == 200 and confirmed.json()["partner_offers"]["channel"] == "order"
    first, *at_order = (await clients.get(f"{url}/history")).json()["items"]
    assert (first["topic"], first["action"], first["channel"], first["recorded_by"]) == \
        ("newsletter", "given", "phone", "operator@test")
    assert {(h["topic"], h["action"], h["channel"], h["recorded_by"], h["order_id"]) for h in at_order} == {
        ("newsletter", "confirmed", "order", "orders", order_id),
        ("partner_offers", "given", "order", "orders", order_id),
    }
    assert (await clients.get(f"/clients/{client['id']}")).json()["version"] == 3
    bad = await clients.put(url, json={"newsletter": "maybe", "channel": "pigeon"})
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"body.newsletter",
                                                                                   "body.channel"}
