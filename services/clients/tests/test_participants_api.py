"""Participants: their record, their age, and their health data, encrypted and behind a permission."""
from datetime import date

from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from clients.app import ClientsSettings, create
from clients.domain.record import age_on
from clients.health import cipher_for, rotate
from shared import events
from shared.testing import BusSpy, Infra, auth, running, service_settings

HEALTH_STAFF = auth("operator", perms=["health_data"])
FORM = {"allergies": "Arachide (choc anaphylactique)", "treatments": "Stylo d'adrénaline", "diet": "Sans porc",
        "medical_notes": "Asthme léger"}


async def client_with_participant(clients):
    client = (await clients.post("/clients", json={"kind": "private", "last_name": "Martin"})).json()
    participant = await clients.post(f"/clients/{client['id']}/participants", json={
        "last_name": "Martin", "first_name": "Léa", "birth_date": "2015-04-23", "sex": "female",
        "address_lines": ["12 rue des Lilas"], "postal_code": "69003", "city": "Lyon"})
    assert participant.status_code == 201, participant.text
    return client, participant.json()


def test_age_counts_whole_years():
    assert age_on(date(2015, 4, 23), date(2027, 4, 22)) == 11
    assert age_on(date(2015, 4, 23), date(2027, 4, 23)) == 12
    assert age_on(date(2016, 2, 29), date(2027, 2, 28)) == 10
    assert age_on(date(2016, 2, 29), date(2027, 3, 1)) == 11


async def test_a_participant_has_an_address_an_age_and_can_be_changed(clients, bus: BusSpy):
    client, participant = await client_with_participant(clients)
    today = date.today()
    assert participant["age"] == age_on(date(2015, 4, 23), today)
    assert (participant["address_lines"], participant["postal_code"]) == (["12 rue des Lilas"], "69003")
    assert "allergies" not in participant and "health_data" not in participant
    url = f"/clients/{client['id']}/participants/{participant['id']}"
    changed = await clients.patch(url, json={"first_name": "Léane", "postal_code": "6900"})
    assert changed.status_code == 422 and changed.json()["errors"][0]["field"] == "body.postal_code"
    changed = await clients.patch(url, json={"first_name": "Léane"})
    assert changed.status_code == 200 and changed.json()["first_name"] == "Léane"
    updated = await bus.wait_for(events.ClientUpdated, client_id=client["id"], timeout=20)
    assert updated.data["participants"][0]["first_name"] in ("Léa", "Léane")
    assert (await clients.get(f"/clients/{client['id']}")).json()["version"] == 3


async def test_health_data_needs_the_permission_and_never_leaves_in_events(clients, clients_db, bus: BusSpy):
    client, participant = await client_with_participant(clients)
    url = f"/clients/{client['id']}/participants/{participant['id']}/health"
    refused = await clients.put(url, json=FORM)
    assert refused.status_code == 403 and refused.json()["code"] == "health_data_forbidden"
    assert (await clients.get(url)).status_code == 403
    assert (await clients.get(url, headers=auth("accountant", perms=["health_data"]))).status_code == 403

    written = await clients.put(url, json=FORM, headers=HEALTH_STAFF)
    assert written.status_code == 200 and written.json() == FORM
    assert (await clients.get(url, headers=HEALTH_STAFF)).json() == FORM
    assert (await clients.get(f"/clients/{client['id']}")).json()["version"] == 2
    assert not any("Arachide" in str(e.data) for e in bus.of_type(events.ClientUpdated))

    engine = create_async_engine(clients_db)
    async with engine.connect() as connection:
        stored = await connection.scalar(text("SELECT health_data FROM participants WHERE id = :id"),
                                         {"id": participant["id"]})
    await engine.dispose()
    assert stored.startswith("gAAAA") and "Arachide" not in stored

    cleared = await clients.put(url, json={}, headers=HEALTH_STAFF)
    assert cleared.json() == {"allergies": None, "treatments": None, "diet": None, "medical_notes": None}


async def test_keys_rotate_without_losing_health_data(infra: Infra, clients_db, clients, health_data_key):
    client, participant = await client_with_participant(clients)
    url = f"/clients/{client['id']}/participants/{participant['id']}/health"
    old, new = health_data_key, Fernet.generate_key().decode()
    assert (await clients.put(url, json=FORM, headers=HEALTH_STAFF)).status_code == 200

    def app(*keys):
        return running(create(service_settings(ClientsSettings, infra, "clients", clients_db,
                                               health_data_keys=list(keys))))

    async with app(new, old) as both:
        assert (await both.get(url, headers=HEALTH_STAFF)).json() == FORM
    engine = create_async_engine(clients_db)
    assert await rotate(async_sessionmaker(engine), cipher_for((new, old))) == 1
    await engine.dispose()
    async with app(new) as only_new:
        assert (await only_new.get(url, headers=HEALTH_STAFF)).json() == FORM
    async with app(old) as only_old:
        lost = await only_old.get(url, headers=HEALTH_STAFF)
        assert lost.status_code == 503 and lost.json()["code"] == "health_data_key_missing"
