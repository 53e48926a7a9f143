"""The travel pack: group and individual joining instructions, the mode switches of seed 001, what the client may
download and is told."""
import uuid
from decimal import Decimal

import pytest

from orders.domain.travel_pack import (
    Access,
    Mode,
    access,
    available,
    check_individual_allowed,
    removes_individual_packs,
)
from orders.gateways import ClientProfile, RequiredDocument, StayTerms
from shared import events
from shared.problems import DomainError
from shared.testing import BusSpy, auth, eventually

from .test_documents import PDF
from .test_orders_api import optioned

D = Decimal


def test_the_pack_opens_when_settled_and_complete_or_when_the_client_type_allows():
    assert access(True, D("0"), True, [], False) == Access(True)
    assert access(False, D("850.00"), False, ["Fiche sanitaire"], True) == Access(True)
    closed = access(False, D("550.00"), False, ["Fiche sanitaire", "Test d'aisance aquatique"], False)
    assert closed == Access(False, ("Fiche sanitaire", "Test d'aisance aquatique"), D("550.00"))
    assert closed.refusal() == ("Votre convocation est disponible, mais vous ne pouvez pas encore y accéder : les "
                                "formalités suivantes sont manquantes : Fiche sanitaire, Test d'aisance aquatique ; "
                                "550,00 € restent à régler.")
    assert access(True, D("0"), False, ["Fiche sanitaire"], False) == Access(False, ("Fiche sanitaire",))


def test_the_flag_needs_instructions_shown_and_the_client_allowed_to_open_them():
    assert available(True, True, True, False)
    assert available(True, False, False, True)
    assert not available(False, True, True, True)
    assert not available(True, True, False, False) and not available(True, False, True, False)


def test_mode_switches():
    assert removes_individual_packs(Mode.INDIVIDUAL, Mode.GROUP)
    assert not removes_individual_packs(Mode.GROUP, Mode.INDIVIDUAL)
    check_individual_allowed(Mode.INDIVIDUAL)
    with pytest.raises(DomainError) as refused:
        check_individual_allowed(Mode.GROUP)
    assert refused.value.code == "travel_pack_group_mode"


async def test_group_instructions_reach_every_booking_and_open_once_settled_and_complete(orders, directory,
                                                                                         bus: BusSpy):
    order = await optioned(orders, directory, bus)
    departure_id = uuid.UUID(order["departure_id"])
    directory.terms[departure_id] = StayTerms(required_documents=(RequiredDocument("health_form", "Fiche sanitaire"),))
    family = auth("client", client_id=order["client_id"])
    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "300.00", "method": "card"})

    attached = await orders.post(f"/departures/{departure_id}/travel-packs", data={"title": "Convocation Lyon"},
                                 files={"file": ("convocation.pdf", PDF, "application/pdf")})
    assert attached.status_code == 201, attached.text
    told = await bus.wait_for(events.TravelPackAttached, order_id=order["id"])
    assert told.data["available"] is False and told.data["scope"] == "group"
    assert told.data["missing_documents"] == ["Fiche sanitaire"] and told.data["amount_due"] == "550.00"
    pack = (await orders.get(f"/orders/{order['id']}/travel-pack", headers=family)).json()
    assert not pack["available"] and "550,00 € restent à régler" in pack["message"]
    content = f"/orders/{order['id']}/travel-packs/{attached.json()['id']}/content"
    refused = await orders.get(content, headers=family)
    assert refused.status_code == 409 and refused.json()["code"] == "travel_pack_unavailable"
    assert "Fiche sanitaire" in refused.json()["detail"]
    assert (await orders.get(content)).content == PDF  # operators always

    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "550.00", "method": "transfer"})
    await orders.post(f"/orders/{order['id']}/documents", data={"code": "health_form", "checked": "true"},
                      files={"file": ("fiche.pdf", PDF, "application/pdf")})
    replaced = await orders.put(f"/travel-packs/{attached.json()['id']}/content",
                                files={"file": ("convocation-v2.pdf", PDF + b"v2", "application/pdf")})
    assert replaced.status_code == 200
    again = await bus.wait_for(events.TravelPackAttached, order_id=order["id"], replaced=True)
    assert again.data["available"] is True and again.data["missing_documents"] == []
    downloaded = await orders.get(content, headers=family)
    assert downloaded.status_code == 200 and downloaded.content == PDF + b"v2"
    actions = [e["action"] for e in (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]
               if e["action"] != "pdf_generated"]
    assert actions[-1] == "travel_pack_downloaded" and "travel_pack_attached" in actions


async def test_individual_instructions_need_individual_mode_and_go_when_switching_back(orders, directory,
                                                                                       bus: BusSpy):
    order = await optioned(orders, directory, bus)
    group = await orders.post(f"/departures/{order['departure_id']}/travel-packs", data={"title": "Convocation"},
                              files={"file": ("c.pdf", PDF, "application/pdf")})
    upload = {"data": {"title": "Convocation de Léa"}, "files": {"file": ("lea.pdf", PDF, "application/pdf")}}
    refused = await orders.post(f"/orders/{order['id']}/travel-packs", **upload)
    assert refused.status_code == 409 and refused.json()["code"] == "travel_pack_group_mode"
    assert (await orders.put(f"/orders/{order['id']}/travel-pack-mode", json={"mode": "individual"})).json() == {
        "mode": "individual"}
    own = await orders.post(f"/orders/{order['id']}/travel-packs", **upload)
    assert own.status_code == 201 and own.json()["scope"] == "individual"
    await bus.wait_for(events.TravelPackAttached, order_id=order["id"], travel_pack_id=own.json()["id"])
    shown = (await orders.get(f"/orders/{order['id']}/travel-pack")).json()["packs"]
    assert {p["id"] for p in shown} == {group.json()["id"], own.json()["id"]}  # the group one stays

    await orders.put(f"/orders/{order['id']}/travel-pack-mode", json={"mode": "group"})
    shown = (await orders.get(f"/orders/{order['id']}/travel-pack")).json()["packs"]
    assert [p["id"] for p in shown] == [group.json()["id"]]
    log = (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"][-1]
    assert log["action"] == "travel_pack_mode" and "Convocation de Léa" in log["detail"]


async def test_a_client_type_may_get_the_pack_before_settling(orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus)
    directory.profiles[uuid.UUID(order["client_id"])] = ClientProfile(documents_despite_incomplete_file=True)
    pack = await orders.post(f"/departures/{order['departure_id']}/travel-packs", data={"title": "Convocation"},
                             files={"file": ("c.pdf", PDF, "application/pdf")})
    told = await bus.wait_for(events.TravelPackAttached, order_id=order["id"])
    assert told.data["available"] is True and told.data["missing_documents"] == []
    family = auth("client", client_id=order["client_id"])
    got = await orders.get(f"/orders/{order['id']}/travel-packs/{pack.json()['id']}/content", headers=family)
    assert got.status_code == 200
    stranger = auth("client", client_id=str(uuid.uuid4()))
    assert (await orders.get(f"/orders/{order['id']}/travel-pack", headers=stranger)).status_code == 404
    assert (await orders.post(f"/departures/{uuid.uuid4()}/travel-packs", data={"title": "x"},
                              files={"file": ("c.pdf", PDF, "application/pdf")})).status_code == 404


async def test_the_travel_pack_available_flag_is_stored_and_announced_whenever_what_it_depends_on_changes(
        orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus)
    url = f"/orders/{order['id']}"

    async def flag() -> bool:
        return (await orders.get(url)).json()["travel_pack_available"]

    async def flips() -> list[bool]:
        return [e.data["available"] for e in sorted(bus.of_type(events.TravelPackAvailable, order_id=order["id"]),
                                                     key=lambda e: e.aggregate_version)]

    await orders.put(f"{url}/travel-pack-mode", json={"mode": "individual"})
    paid = (await orders.post(f"{url}/payments", json={"amount": "850.00", "method": "card"})).json()
    assert (await orders.get(url)).json()["settled"] and not await flag()  # no instructions yet

    own = await orders.post(f"{url}/travel-packs", data={"title": "Convocation de Léa"},
                            files={"file": ("lea.pdf", PDF, "application/pdf")})
    assert own.status_code == 201 and await flag()
    announced = await bus.wait_for(events.TravelPackAvailable, order_id=order["id"])
    assert (announced.data["available"], announced.data["settled"], announced.data["file_complete"]) == (
        True, True, True)
    for flags, found in (({"travel_pack_available": "true", "settled": "true", "file_complete": "true",
                           "invoiced": "false"}, [order["id"]]),
                         ({"travel_pack_available": "false"}, []), ({"invoiced": "true"}, [])):
        listed = (await orders.get("/orders", params={"client_id": order["client_id"], **flags})).json()["items"]
        assert [o["id"] for o in listed] == found, flags

    assert (await orders.delete(f"{url}/payments/{paid['id']}")).status_code == 204
    assert not await flag()
    await orders.post(f"{url}/payments", json={"amount": "850.00", "method": "card"})
    assert await flag()
    await orders.put(f"{url}/travel-pack-mode", json={"mode": "group"})  # its own instructions go
    assert not await flag()
    assert await eventually(lambda: _have(flips, 4)) == [True, False, True, False]
    actions = [e["action"] for e in (await orders.get(f"{url}/workflow")).json()["items"]]
    assert actions.count("travel_pack_available") == 2 and actions.count("travel_pack_unavailable") == 2


async def _have(flips, count):
    seen = await flips()
    return seen if len(seen) == count else None
