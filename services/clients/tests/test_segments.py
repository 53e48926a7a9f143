"""Segments: saved dynamic queries over clients and their order history, listed and exported for spreadsheets."""
import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from shared import events
from shared.testing import BusSpy, auth

TODAY = datetime.now(UTC).date()


async def members(clients, **criteria):
    created = await clients.post("/segments", json={"name": f"segment {uuid.uuid4()}", "criteria": criteria})
    assert created.status_code == 201, created.text
    response = await clients.get(f"/segments/{created.json()['id']}/clients", params={"sort": "last_name"})
    assert response.status_code == 200, response.text
    return [c["display_name"] for c in response.json()["items"]]


@pytest.fixture
async def base(clients, samples, bus: BusSpy, applied):
    """Five clients; Martin has two validated orders, Durand an option, Petit a refused order."""
    made = {}
    for name, extra in {
        "Martin": {"postal_code": "69003", "city": "Lyon"},
        "Durand": {"postal_code": "69100", "city": "Villeurbanne", "disputed": True},
        "Petit": {"postal_code": "75011", "city": "Paris"},
        "Moreau": {"postal_code": "01000", "city": "Bourg-en-Bresse", "dormant": True},
    }.items():
        made[name] = await samples.make_client(clients, last_name=name, **extra)
    made["Prospect"] = await samples.make_client(clients, kind="prospect", last_name=None, first_name=None,
                                                 civility=None, email="curieux@example.org", postal_code="69001",
                                                 city=None)
    for owner, cls, status in (("Martin", events.OrderValidated, "validated"),
                               ("Martin", events.OrderValidated, "validated"),
                               ("Durand", events.OrderOptioned, "option"),
                               ("Petit", events.OrderRefused, "refused")):
        order_id = uuid.uuid4()
        await applied(await bus.publish(samples.order_event(cls, made[owner]["id"], order_id, status), order_id, 2))
    return made


async def test_segments_select_by_place_kind_flags_and_creation_period(clients, base):
    assert await members(clients, postal_code_prefixes=["69"]) == ["curieux@example.org", "Mme DURAND Claire",
                                                                   "Mme MARTIN Claire"]
    assert await members(clients, postal_code_prefixes=["69"], kinds=["private"], disputed=False) == \
        ["Mme MARTIN Claire"]
    assert await members(clients, cities=["PARIS", "lyon"]) == ["Mme MARTIN Claire", "Mme PETIT Claire"]
    assert await members(clients, postal_code_prefixes=["01"]) == []
    assert await members(clients, postal_code_prefixes=["01"], include_dormant=True) == ["Mme MOREAU Claire"]
    assert len(await members(clients, created_from=str(TODAY), created_to=str(TODAY))) == 4
    assert await members(clients, created_from=str(TODAY + timedelta(days=1))) == []


async def test_segments_select_by_category_and_consent(clients, base):
    for name in ("Fidèle", "Nouveau"):
        assert (await clients.post("/categories", json={"name": name})).status_code == 201
    await clients.patch(f"/clients/{base['Martin']['id']}", json={"category": "Fidèle"})
    await clients.patch(f"/clients/{base['Petit']['id']}", json={"category": "Nouveau"})
    granted = await clients.put(f"/clients/{base['Petit']['id']}/consents", json={"newsletter": True,
                                                                                 "channel": "phone"})
    assert granted.status_code == 200, granted.text
    assert await members(clients, categories=["fidèle", "NOUVEAU"]) == ["Mme MARTIN Claire", "Mme PETIT Claire"]
    assert await members(clients, newsletter_consent=True) == ["Mme PETIT Claire"]
    assert await members(clients, categories=["Fidèle"], newsletter_consent=True) == []
    assert "Mme PETIT Claire" not in await members(clients, partner_offers_consent=False, newsletter_consent=False)


async def test_segments_select_by_order_history(clients, base):
    assert await members(clients, min_orders=1) == ["Mme DURAND Claire", "Mme MARTIN Claire"]
    assert await members(clients, min_orders=2) == ["Mme MARTIN Claire"]
    assert await members(clients, max_orders=0) == ["curieux@example.org", "Mme PETIT Claire"]
    assert await members(clients, min_spent="1700.00") == ["Mme MARTIN Claire"]
    assert await members(clients, min_spent="0.01", max_spent="1000") == []
    assert await members(clients, ordered_since=str(TODAY)) == ["Mme DURAND Claire", "Mme MARTIN Claire"]
    assert await members(clients, ordered_since=str(TODAY + timedelta(days=1))) == []


async def test_a_segment_is_saved_listed_renamed_and_deleted(clients):
    created = await clients.post("/segments", json={"name": "Familles lyonnaises",
                                                    "criteria": {"postal_code_prefixes": ["69"]}})
    assert created.status_code == 201, created.text
    segment = created.json()
    assert segment["criteria"]["postal_code_prefixes"] == ["69"] and segment["criteria"]["include_dormant"] is False
    again = await clients.post("/segments", json={"name": "familles LYONNAISES", "criteria": {}})
    assert again.status_code == 409 and again.json()["code"] == "segment_name_taken"
    await clients.post("/segments", json={"name": "Tous", "criteria": {}})

    first = (await clients.get("/segments", params={"limit": 1})).json()
    second = (await clients.get("/segments", params={"limit": 1, "cursor": first["next_cursor"]})).json()
    assert [s["name"] for s in first["items"] + second["items"]] == ["Familles lyonnaises", "Tous"]

    renamed = await clients.patch(f"/segments/{segment['id']}", json={"name": "Lyon", "criteria": {"kinds": ["private"]}})
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["criteria"]["kinds"]) == ("Lyon", ["private"])
    assert renamed.json()["criteria"]["postal_code_prefixes"] == []
    assert (await clients.get(f"/segments/{segment['id']}")).json()["name"] == "Lyon"
    assert (await clients.patch(f"/segments/{segment['id']}", json={"name": "Tous"})).status_code == 409

    assert (await clients.delete(f"/segments/{segment['id']}", headers=auth("accountant"))).status_code == 403
    assert (await clients.delete(f"/segments/{segment['id']}")).status_code == 204
    assert (await clients.get(f"/segments/{segment['id']}")).status_code == 404
    assert (await clients.get(f"/segments/{segment['id']}/clients")).status_code == 404


async def test_bad_criteria_are_a_422_naming_them(clients):
    for criteria, field in (({"created_from": "2027-02-01", "created_to": "2027-01-01"}, "body.criteria.created_to"),
                            ({"min_orders": 3, "max_orders": 2}, "body.criteria.max_orders"),
                            ({"min_spent": "10.00", "max_spent": "9.99"}, "body.criteria.max_spent"),
                            ({"min_spent": "-1"}, "body.criteria.min_spent"),
                            ({"kinds": ["reseller"]}, "body.criteria.kinds.0"),
                            ({"colour": "red"}, "body.criteria.colour")):
        response = await clients.post("/segments", json={"name": "x", "criteria": criteria})
        assert response.status_code == 422, criteria
        assert response.json()["errors"][0]["field"] == field
    assert (await clients.post("/segments", json={"name": " ", "criteria": {}})).status_code == 422


async def test_a_segment_exports_as_a_french_spreadsheet_and_as_json(clients, base):
    segment = (await clients.post("/segments", json={"name": "Rhône", "criteria": {"postal_code_prefixes": ["69"],
                                                                                    "kinds": ["private"]}})).json()
    response = await clients.get(f"/segments/{segment['id']}/export")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="segment-{segment["id"]}.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [(r["Nom"], r["Ville"], r["En litige"], r["Type"], r["Nombre de commandes"], r["Montant dépensé"])
            for r in rows] == [("Martin", "Lyon", "non", "particulier", "2", "1700,00"),
                               ("Durand", "Villeurbanne", "oui", "particulier", "1", "0,00")]
    assert rows[0]["Date de création"] == f"{TODAY:%d/%m/%Y}"
    assert rows[0]["Identifiant"] == base["Martin"]["id"]

    as_json = (await clients.get(f"/segments/{segment['id']}/export", params={"format": "json"})).json()
    assert [(c["last_name"], c["orders"], c["spent"]) for c in as_json] == [("Martin", 2, "1700.00"),
                                                                            ("Durand", 1, "0.00")]


async def test_the_clients_of_a_creation_period_export_even_when_none(clients, base):
    today = await clients.get("/exports/clients", params={"created_from": str(TODAY), "created_to": str(TODAY),
                                                          "format": "json"})
    assert len(today.json()) == 4
    with_dormant = await clients.get("/exports/clients", params={"include_dormant": True, "format": "json"})
    assert len(with_dormant.json()) == 5
    yesterday = await clients.get("/exports/clients", params={"created_to": str(TODAY - timedelta(days=1))})
    assert yesterday.content.decode("utf-8-sig").count("\n") == 1
    assert (await clients.get("/exports/clients", params={"format": "xls"})).status_code == 422
    assert (await clients.get("/exports/clients", headers=auth("client"))).status_code == 403


async def test_an_export_period_ending_before_it_starts_is_a_422_naming_its_end(clients, base):
    response = await clients.get("/exports/clients", params={"created_from": "2027-01-02", "created_to": "2027-01-01"})
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["query.created_to"]
    one_day = await clients.get("/exports/clients", params={"created_from": str(TODAY), "created_to": str(TODAY),
                                                            "format": "json"})
    assert one_day.status_code == 200 and len(one_day.json()) == 4
