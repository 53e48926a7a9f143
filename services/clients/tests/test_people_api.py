"""Legal guardians and contacts of a client, and the e-mails they bring to the client's events."""
from shared import events
from shared.testing import BusSpy, auth, eventually


async def make_client(clients, **fields):
    response = await clients.post("/clients", json={"kind": "private", "last_name": "Martin", **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def test_guardians_and_contacts_travel_in_the_client_state_for_notifications(clients, bus: BusSpy):
    client = await make_client(clients, recipient_preference="both")
    guardian = await clients.post(f"/clients/{client['id']}/legal-guardians", json={
        "civility": "M.", "last_name": " Martin", "first_name": "Paul", "email": "Paul.Martin@Example.org",
        "address_lines": ["3 rue Neuve"], "postal_code": "69003", "city": "Lyon", "birth_date": "1980-02-01"})
    assert guardian.status_code == 201, guardian.text
    assert (guardian.json()["last_name"], guardian.json()["email"]) == ("Martin", "paul.martin@example.org")
    await bus.wait_for(events.ClientUpdated, client_id=client["id"], timeout=20)
    contact = await clients.post(f"/clients/{client['id']}/contacts", json={
        "last_name": "Bernard", "first_name": "Ana", "role": "Comptabilité", "email": "ana@ce-exemple.fr"})
    assert contact.status_code == 201, contact.text

    async def third_version():
        found = [e for e in bus.of_type(events.ClientUpdated, client_id=client["id"]) if e.aggregate_version == 3]
        return found[0] if found else None

    state = await eventually(third_version)
    assert state.data["legal_guardians"] == [{"guardian_id": guardian.json()["id"], "civility": "M.",
                                              "last_name": "Martin", "first_name": "Paul",
                                              "email": "paul.martin@example.org"}]
    assert state.data["contacts"] == [{"contact_id": contact.json()["id"], "name": "Ana Bernard",
                                       "email": "ana@ce-exemple.fr", "copy_on_emails": True}]

    listed = (await clients.get(f"/clients/{client['id']}/legal-guardians", headers=auth("service"))).json()
    assert [g["id"] for g in listed["items"]] == [guardian.json()["id"]] and listed["next_cursor"] is None
    changed = await clients.patch(f"/clients/{client['id']}/contacts/{contact.json()['id']}",
                                  json={"copy_on_emails": False})
    assert changed.status_code == 200 and changed.json()["copy_on_emails"] is False
    removed = await clients.delete(f"/clients/{client['id']}/legal-guardians/{guardian.json()['id']}")
    assert removed.status_code == 204
    assert (await clients.get(f"/clients/{client['id']}")).json()["version"] == 5
    assert (await clients.get(f"/clients/{client['id']}/legal-guardians")).json()["items"] == []


async def test_a_contact_copied_on_emails_needs_one_and_a_blocked_client_refuses_new_people(clients):
    client = await make_client(clients)
    invalid = await clients.post(f"/clients/{client['id']}/contacts", json={"last_name": "Bernard"})
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["field"] == "body.email"
    assert (await clients.post(f"/clients/{client['id']}/contacts",
                               json={"last_name": "Bernard", "copy_on_emails": False})).status_code == 201
    await clients.patch(f"/clients/{client['id']}", json={"blocked": True})
    blocked = await clients.post(f"/clients/{client['id']}/legal-guardians", json={"last_name": "Martin"})
    assert blocked.status_code == 409 and blocked.json()["code"] == "client_blocked"


async def test_people_of_another_client_are_not_found(clients):
    first, second = await make_client(clients), await make_client(clients, last_name="Petit")
    contact = (await clients.post(f"/clients/{first['id']}/contacts",
                                  json={"last_name": "Bernard", "email": "b@example.org"})).json()
    assert (await clients.patch(f"/clients/{second['id']}/contacts/{contact['id']}",
                                json={"role": "x"})).status_code == 404
    assert (await clients.delete(f"/clients/{second['id']}/contacts/{contact['id']}")).status_code == 404
    assert (await clients.get(f"/clients/{second['id']}/legal-guardians/{contact['id']}")).status_code == 404
