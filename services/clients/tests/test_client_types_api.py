"""Client types and the clients that have one, through the API."""
import uuid

from shared import events
from shared.testing import BusSpy, auth

RESELLER = {"name": "Revendeur", "kind": "professional", "individual_membership_only": True,
            "no_membership_on_group_orders": True, "documents_despite_incomplete_file": True}
FAMILY = {"kind": "private", "last_name": "Martin", "first_name": "Claire"}


async def make_type(clients, **overrides):
    response = await clients.post("/client-types", json={**RESELLER, **overrides})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_client_type_is_created_read_listed_and_changed(clients):
    reseller = await make_type(clients, name="  Revendeur ")
    assert reseller["name"] == "Revendeur" and reseller["kind"] == "professional"
    assert (reseller["individual_membership_only"], reseller["front_office_ordering_allowed"],
            reseller["front_office_account_allowed"], reseller["legal_guardian_accounts"]) == (True, True, False, False)
    assert (await clients.get(f"/client-types/{reseller['id']}")).json() == reseller
    family = await make_type(clients, name="Famille", kind="private", legal_guardian_accounts=True)

    listed = (await clients.get("/client-types", params={"limit": 1})).json()
    rest = (await clients.get("/client-types", params={"limit": 1, "cursor": listed["next_cursor"]})).json()
    assert [t["id"] for t in listed["items"] + rest["items"]] == [reseller["id"], family["id"]]
    assert (await clients.get("/client-types", params={"kind": "private"})).json()["items"] == [family]

    changed = await clients.patch(f"/client-types/{reseller['id']}",
                                  json={"front_office_ordering_allowed": False, "name": "Revendeurs"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["front_office_ordering_allowed"]) == ("Revendeurs", False)
    assert changed.json()["updated_at"] > reseller["updated_at"]
    assert (await clients.get(f"/client-types/{reseller['id']}")).json() == changed.json()


async def test_a_name_is_unique_whatever_its_case(clients):
    await make_type(clients)
    taken = await clients.post("/client-types", json={**RESELLER, "name": "REVENDEUR", "kind": "private"})
    assert taken.status_code == 409 and taken.json()["code"] == "client_type_name_taken"
    other = await make_type(clients, name="Mairie")
    renamed = await clients.patch(f"/client-types/{other['id']}", json={"name": "revendeur"})
    assert renamed.status_code == 409 and renamed.json()["code"] == "client_type_name_taken"
    assert (await clients.patch(f"/client-types/{other['id']}", json={"name": "MAIRIE"})).status_code == 200


async def test_a_client_takes_a_type_of_its_own_kind_only(clients):
    family = await make_type(clients, name="Famille", kind="private")
    reseller = await make_type(clients)
    client = await clients.post("/clients", json={**FAMILY, "client_type_id": family["id"]})
    assert client.status_code == 201 and client.json()["client_type_id"] == family["id"]

    mismatch = await clients.post("/clients", json={**FAMILY, "client_type_id": reseller["id"]})
    assert mismatch.status_code == 422
    assert [e["field"] for e in mismatch.json()["errors"]] == ["body.client_type_id"]
    unknown = await clients.post("/clients", json={**FAMILY, "client_type_id": str(uuid.uuid4())})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "body.client_type_id"

    url = f"/clients/{client.json()['id']}"
    assert (await clients.patch(url, json={"client_type_id": reseller["id"]})).status_code == 422
    kind_change = await clients.patch(url, json={"kind": "professional", "company_name": "Martin SARL"})
    assert kind_change.status_code == 422 and kind_change.json()["errors"][0]["field"] == "body.client_type_id"
    both = await clients.patch(url, json={"kind": "professional", "company_name": "Martin SARL",
                                          "client_type_id": reseller["id"]})
    assert both.status_code == 200 and both.json()["client_type_id"] == reseller["id"]
    cleared = await clients.patch(url, json={"client_type_id": None})
    assert cleared.status_code == 200 and cleared.json()["client_type_id"] is None


async def test_a_type_in_use_keeps_its_kind(clients):
    family = await make_type(clients, name="Famille", kind="private")
    await clients.post("/clients", json={**FAMILY, "client_type_id": family["id"]})
    refused = await clients.patch(f"/client-types/{family['id']}", json={"kind": "professional"})
    assert refused.status_code == 409 and refused.json()["code"] == "client_type_in_use"
    unused = await make_type(clients, name="Mairie")
    assert (await clients.patch(f"/client-types/{unused['id']}", json={"kind": "prospect"})).json()["kind"] == \
        "prospect"


async def test_an_inactive_account_carries_the_message_shown_to_the_person(clients):
    client = (await clients.post("/clients", json=FAMILY)).json()
    assert (client["active"], client["inactive_message"], client["dormant"]) == (True, None, False)
    patched = await clients.patch(f"/clients/{client['id']}",
                                  json={"active": False, "inactive_message": "  Contactez le service client. "})
    assert patched.status_code == 200
    assert (patched.json()["active"], patched.json()["inactive_message"]) == (False, "Contactez le service client.")
    assert patched.json()["version"] == 2
    assert (await clients.patch(f"/clients/{client['id']}", json={"active": None})).status_code == 422


async def test_bad_input_unknown_ids_and_roles(clients):
    assert (await clients.post("/client-types", json={"name": " ", "kind": "private"})).status_code == 422
    assert (await clients.post("/client-types", json={"name": "X", "kind": "reseller"})).status_code == 422
    assert (await clients.post("/client-types", json={"name": "X", "kind": "private", "extra": 1})).status_code == 422
    unknown = uuid.uuid4()
    assert (await clients.get(f"/client-types/{unknown}")).status_code == 404
    assert (await clients.patch(f"/client-types/{unknown}", json={"name": "X"})).status_code == 404
    reseller = await make_type(clients)
    assert (await clients.patch(f"/client-types/{reseller['id']}", json={"name": None})).status_code == 422
    assert (await clients.post("/client-types", json=RESELLER, headers=auth("accountant"))).status_code == 403
    assert (await clients.get("/client-types", headers=auth("accountant"))).status_code == 200
    assert (await clients.get("/client-types", headers={"Authorization": ""})).status_code == 401


async def test_a_type_s_flags_are_announced_at_each_change(clients, bus: BusSpy):
    created = await make_type(clients, name="Sur appel", kind="private")
    announced = await bus.wait_for(events.ClientTypeCreated, client_type_id=created["id"])
    assert (announced.aggregate_version, announced.data["front_office_account_allowed"],
            announced.data["front_office_ordering_allowed"]) == (1, False, True)
    await clients.patch(f"/client-types/{created['id']}", json={"front_office_ordering_allowed": False})
    changed = await bus.wait_for(events.ClientTypeUpdated, client_type_id=created["id"])
    assert (changed.aggregate_version, changed.data["front_office_ordering_allowed"], changed.data["name"]) == (
        2, False, "Sur appel")
