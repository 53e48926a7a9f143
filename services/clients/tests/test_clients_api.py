"""The clients service through its API and the bus, on real PostgreSQL and RabbitMQ."""
import uuid

from shared import events
from shared.testing import BusSpy, auth

MARTIN = {
    "kind": "private", "civility": "Mme", "last_name": " Martin ", "first_name": "Claire",
    "email": "Claire.Martin@Example.org", "mobile": "06 12 34 56 78", "address_lines": ["12 rue des Lilas"],
    "postal_code": "69003", "city": "Lyon",
}


async def make_client(clients, **overrides):
    response = await clients.post("/clients", json={**MARTIN, **overrides})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_created_client_is_normalised_and_announced(clients, bus: BusSpy):
    client = await make_client(clients)
    assert client["last_name"] == "Martin"
    assert client["email"] == "claire.martin@example.org"
    assert client["display_name"] == "Mme MARTIN Claire"
    assert (client["country"], client["recipient_preference"], client["version"]) == ("FR", "client", 1)
    assert (client["disputed"], client["blocked"], client["participants"]) == (False, False, [])
    assert client["landline"] is None

    created = await bus.wait_for(events.ClientCreated, client_id=client["id"])
    assert created.aggregate_id == client["id"] and created.aggregate_version == 1
    assert created.data["email"] == "claire.martin@example.org"


async def test_a_service_reads_a_client_as_orders_will(clients):
    client = await make_client(clients)
    response = await clients.get(f"/clients/{client['id']}", headers=auth("service"))
    assert response.status_code == 200
    assert response.json() == client


async def test_a_professional_is_named_by_its_company(clients, bus: BusSpy):
    client = await make_client(clients, kind="professional", company_name="Mairie de Lyon", last_name=None,
                               first_name=None, civility=None)
    assert client["display_name"] == "Mairie de Lyon"
    created = await bus.wait_for(events.ClientCreated, client_id=client["id"])
    assert created.data["company_name"] == "Mairie de Lyon"


async def test_a_patch_changes_only_what_it_names_bumps_the_version_and_emits_the_new_state(clients, bus: BusSpy):
    client = await make_client(clients)
    response = await clients.patch(f"/clients/{client['id']}", json={"city": "Villeurbanne", "postal_code": "69100",
                                                                     "disputed": True, "mobile": None,
                                                                     "dormant": True})
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["city"], changed["disputed"], changed["mobile"], changed["version"]) == \
        ("Villeurbanne", True, None, 2)
    assert changed["last_name"] == "Martin" and changed["updated_at"] > client["updated_at"]
    assert (await clients.get(f"/clients/{client['id']}")).json() == changed

    updated = await bus.wait_for(events.ClientUpdated, client_id=client["id"])
    assert updated.aggregate_version == 2
    assert (updated.data["city"], updated.data["disputed"], updated.data["mobile"]) == ("Villeurbanne", True, None)
    assert (updated.data["dormant"], updated.data["active"]) == (True, True)


async def test_a_patch_that_changes_nothing_keeps_the_version(clients):
    client = await make_client(clients)
    same = await clients.patch(f"/clients/{client['id']}",
                               json={"last_name": "Martin", "email": "CLAIRE.martin@example.org"})
    assert same.status_code == 200 and same.json()["version"] == 1


async def test_an_added_participant_appears_on_the_client_and_in_the_event(clients, bus: BusSpy):
    client = await make_client(clients)
    response = await clients.post(f"/clients/{client['id']}/participants",
                                  json={"last_name": "Martin", "first_name": " Léa", "birth_date": "2015-04-23",
                                        "sex": "female"})
    assert response.status_code == 201, response.text
    participant = response.json()
    assert participant["first_name"] == "Léa"

    again = (await clients.get(f"/clients/{client['id']}")).json()
    assert again["version"] == 2
    assert again["participants"] == [participant]
    one = await clients.get(f"/clients/{client['id']}/participants/{participant['id']}")
    assert one.json() == participant
    listed = (await clients.get(f"/clients/{client['id']}/participants")).json()
    assert listed == {"items": [participant], "next_cursor": None}

    updated = await bus.wait_for(events.ClientUpdated, client_id=client["id"])
    assert updated.aggregate_version == 2
    assert updated.data["participants"] == [{"participant_id": participant["id"], "last_name": "Martin",
                                             "first_name": "Léa", "birth_date": "2015-04-23",
                                             "legal_guardian_ids": []}]


async def test_a_participant_may_be_added_before_its_birth_date_is_known(clients):
    client = await make_client(clients)
    response = await clients.post(f"/clients/{client['id']}/participants", json={"last_name": "Martin",
                                                                                 "first_name": "Noé"})
    assert response.status_code == 201, response.text
    assert (response.json()["birth_date"], response.json()["sex"]) == (None, None)


async def test_a_participant_of_another_client_is_not_found(clients):
    first, second = await make_client(clients), await make_client(clients, last_name="Durand")
    participant = (await clients.post(f"/clients/{first['id']}/participants",
                                      json={"last_name": "Martin", "first_name": "Léa",
                                            "birth_date": "2015-04-23"})).json()
    response = await clients.get(f"/clients/{second['id']}/participants/{participant['id']}")
    assert response.status_code == 404


async def test_a_blocked_client_refuses_every_change_until_unblocked(clients):
    client = await make_client(clients)
    assert (await clients.patch(f"/clients/{client['id']}", json={"blocked": True})).json()["blocked"] is True

    refused = await clients.patch(f"/clients/{client['id']}", json={"city": "Paris"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "client_blocked"
    assert refused.headers["content-type"] == "application/problem+json"
    added = await clients.post(f"/clients/{client['id']}/participants",
                               json={"last_name": "Martin", "first_name": "Léa", "birth_date": "2015-04-23"})
    assert added.status_code == 409 and added.json()["code"] == "client_blocked"

    unblocked = await clients.patch(f"/clients/{client['id']}", json={"blocked": False})
    assert unblocked.status_code == 200 and unblocked.json()["version"] == 3
    assert (await clients.patch(f"/clients/{client['id']}", json={"city": "Paris"})).status_code == 200


async def test_bad_input_is_a_422_naming_the_fields(clients):
    response = await clients.post("/clients", json={"kind": "private", "email": "not-an-email", "country": "France",
                                                    "lastname": "typo", "last_name": "Mar\u0000tin"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "invalid_request"
    assert {e["field"] for e in problem["errors"]} == {"body.email", "body.country", "body.lastname",
                                                       "body.last_name"}
    search = await clients.get("/clients", params={"q": "\u0000%%bad"})
    assert search.status_code == 422 and search.json()["errors"][0]["field"] == "query.q"
    nul_email = await clients.post("/clients", json={"kind": "prospect", "email": "a\u0000b@example.org"})
    assert nul_email.status_code == 422


async def test_a_record_rule_broken_is_a_422_naming_the_fields(clients):
    created = await clients.post("/clients", json={"kind": "private", "first_name": "Claire", "postal_code": "6900"})
    assert created.status_code == 422
    assert {e["field"] for e in created.json()["errors"]} == {"body.last_name", "body.postal_code"}

    client = await make_client(clients)
    patched = await clients.patch(f"/clients/{client['id']}", json={"kind": "professional", "blocked": None})
    assert patched.status_code == 422
    assert {e["field"] for e in patched.json()["errors"]} == {"body.blocked"}
    patched = await clients.patch(f"/clients/{client['id']}", json={"kind": "professional"})
    assert patched.status_code == 422
    assert {e["field"] for e in patched.json()["errors"]} == {"body.company_name"}
    participant = await clients.post(f"/clients/{client['id']}/participants",
                                     json={"last_name": " ", "first_name": "Léa", "birth_date": "2999-01-01"})
    assert participant.status_code == 422
    assert {e["field"] for e in participant.json()["errors"]} == {"body.last_name", "body.birth_date"}
    assert (await clients.get(f"/clients/{client['id']}")).json()["version"] == 1


async def test_unknown_ids_are_404_and_every_route_needs_a_token(clients):
    unknown = uuid.uuid4()
    assert (await clients.get(f"/clients/{unknown}")).status_code == 404
    assert (await clients.patch(f"/clients/{unknown}", json={"city": "Lyon"})).status_code == 404
    assert (await clients.get(f"/clients/{unknown}/participants")).status_code == 404
    assert (await clients.get("/clients/not-a-uuid")).status_code == 422
    assert (await clients.get("/clients", headers={"Authorization": ""})).status_code == 401
    assert (await clients.post("/clients", json=MARTIN, headers={"Authorization": ""})).status_code == 401


async def test_writes_need_staff_and_reads_are_open_to_the_back_office(clients):
    client = await make_client(clients)
    assert (await clients.post("/clients", json=MARTIN, headers=auth("accountant"))).status_code == 403
    assert (await clients.patch(f"/clients/{client['id']}", json={"city": "Lyon"},
                                headers=auth("service"))).status_code == 403
    assert (await clients.get("/clients", headers=auth("accountant"))).status_code == 200
    assert (await clients.get(f"/clients/{client['id']}", headers=auth("client"))).status_code == 403


async def test_lists_are_paginated_and_filtered(clients):
    for name in ("Martin", "Durand", "Petit", "Moreau", "Martinez"):
        await make_client(clients, last_name=name, email=f"{name.lower()}@example.org")
    await make_client(clients, kind="professional", company_name="Comité d'entreprise Martin & Fils")

    first = (await clients.get("/clients", params={"limit": 4})).json()
    second = (await clients.get("/clients", params={"limit": 4, "cursor": first["next_cursor"]})).json()
    assert len(first["items"]) == 4 and len(second["items"]) == 2 and second["next_cursor"] is None
    assert not {c["id"] for c in first["items"]} & {c["id"] for c in second["items"]}

    martins = (await clients.get("/clients", params={"q": "MARTIN"})).json()["items"]
    assert {c["display_name"] for c in martins} == {"Mme MARTIN Claire", "Mme MARTINEZ Claire",
                                                    "Comité d'entreprise Martin & Fils"}
    assert len((await clients.get("/clients", params={"q": "claire durand"})).json()["items"]) == 1
    assert len((await clients.get("/clients", params={"q": "petit@example"})).json()["items"]) == 1
    assert (await clients.get("/clients", params={"q": "zz%"})).json()["items"] == [], "a % is no wildcard"
    professionals = (await clients.get("/clients", params={"kind": "professional", "q": "martin"})).json()["items"]
    assert [c["kind"] for c in professionals] == ["professional"]
    assert (await clients.get("/clients", params={"kind": "reseller"})).status_code == 422


async def test_a_retried_creation_with_the_same_idempotency_key_creates_once(clients, bus: BusSpy):
    headers = {"Idempotency-Key": "client-42"}
    first = await clients.post("/clients", json=MARTIN, headers=headers)
    again = await clients.post("/clients", json=MARTIN, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    assert len((await clients.get("/clients")).json()["items"]) == 1

    participant = {"last_name": "Martin", "first_name": "Léa", "birth_date": "2015-04-23"}
    url = f"/clients/{first.json()['id']}/participants"
    added = [await clients.post(url, json=participant, headers={"Idempotency-Key": "lea"}) for _ in range(2)]
    assert added[0].json() == added[1].json()
    assert len((await clients.get(url)).json()["items"]) == 1
