"""Front-office accounts: argon2 passwords, the login check, single-use expiring reset links."""
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from clients.app import ClientsSettings, create
from clients.domain.front_office import token_hash
from shared import events
from shared.clock import FrozenClock
from shared.testing import BusSpy, auth, running, service_settings, truncate_all

PASSWORD = "colonie-2027!"


async def account(clients, **fields):
    client = (await clients.post("/clients", json={"kind": "private", "last_name": "Martin",
                                                   "email": "claire@example.org",
                                                   "welcome_message": "Bienvenue Claire !", **fields})).json()
    assert (await clients.put(f"/clients/{client['id']}/password", json={"password": PASSWORD})).status_code == 204
    return client


async def login(clients, login, password=PASSWORD):
    return await clients.post("/front-office/logins", json={"login": login, "password": password},
                              headers=auth("service", sub="gateway"))


async def test_a_client_logs_in_by_email_or_code_and_is_welcomed(clients, clients_db):
    client = await account(clients)
    by_email = await login(clients, "Claire@Example.org")
    assert by_email.status_code == 200, by_email.text
    assert by_email.json() == {"client_id": client["id"], "role": "client", "guardian_id": None,
                               "display_name": "MARTIN", "welcome_message": "Bienvenue Claire !"}
    assert (await login(clients, client["client_code"].lower())).status_code == 200
    wrong = await login(clients, "claire@example.org", "not-the-password")
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_credentials"
    assert (await login(clients, "nobody@example.org")).status_code == 401

    engine = create_async_engine(clients_db)
    async with engine.connect() as connection:
        stored = await connection.scalar(text("SELECT password_hash FROM clients"))
    await engine.dispose()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert "password_hash" not in client


async def test_an_inactive_client_or_a_type_without_online_ordering_is_refused_with_a_message(clients):
    client = await account(clients)
    await clients.patch(f"/clients/{client['id']}",
                        json={"active": False, "inactive_message": "Compte suspendu : impayé."})
    inactive = await login(clients, "claire@example.org")
    assert inactive.status_code == 403 and inactive.json()["code"] == "account_inactive"
    assert inactive.json()["detail"] == "Compte suspendu : impayé."

    by_phone = (await clients.post("/client-types", json={"name": "Sur appel", "kind": "private",
                                                          "front_office_ordering_allowed": False})).json()
    await clients.patch(f"/clients/{client['id']}", json={"active": True, "client_type_id": by_phone["id"]})
    forbidden = await login(clients, "claire@example.org")
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "front_office_ordering_forbidden"
    assert "service client" in forbidden.json()["detail"]


async def test_only_staff_or_the_client_itself_sets_a_password_and_short_ones_are_refused(clients):
    client = await account(clients)
    url = f"/clients/{client['id']}/password"
    assert (await clients.put(url, json={"password": "short"})).status_code == 422
    own = auth("client", client_id=client["id"])
    assert (await clients.put(url, json={"password": "mon-nouveau-mdp"}, headers=own)).status_code == 204
    other = auth("client", client_id="someone-else")
    assert (await clients.put(url, json={"password": "mon-nouveau-mdp"}, headers=other)).status_code == 403
    assert (await login(clients, "claire@example.org", "mon-nouveau-mdp")).status_code == 200


async def test_a_reset_link_is_single_use_its_token_hashed_and_announced_to_notifications(
    clients, clients_db, bus: BusSpy
):
    client = await account(clients)
    reset = await clients.post(f"/clients/{client['id']}/password-reset")
    assert reset.status_code == 201, reset.text
    requested = await bus.wait_for(events.PasswordResetRequested, client_id=client["id"])
    token = requested.data["token"]
    assert requested.data["email"] == "claire@example.org" and len(token) >= 40

    engine = create_async_engine(clients_db)
    async with engine.connect() as connection:
        stored = await connection.scalar(text("SELECT token_hash FROM password_resets"))
    await engine.dispose()
    assert stored == token_hash(token) and token not in stored

    new = {"token": token, "password": "un-tout-nouveau"}
    assert (await clients.post("/password-resets", json=new)).status_code == 204
    assert (await login(clients, "claire@example.org", "un-tout-nouveau")).status_code == 200
    again = await clients.post("/password-resets", json=new)
    assert again.status_code == 409 and again.json()["code"] == "reset_token_invalid"
    no_email = (await clients.post("/clients", json={"kind": "private", "last_name": "Sans"})).json()
    refused = await clients.post(f"/clients/{no_email['id']}/password-reset")
    assert refused.status_code == 409 and refused.json()["code"] == "client_without_email"


async def test_a_reset_link_expires(infra, clients_db, bus: BusSpy):
    await truncate_all(clients_db)
    clock = FrozenClock(datetime(2027, 5, 1, 9, tzinfo=UTC))
    settings = service_settings(ClientsSettings, infra, "clients", clients_db, password_reset_ttl_minutes=30)
    async with running(create(settings, clock)) as clients:
        client = await account(clients)
        reset = (await clients.post(f"/clients/{client['id']}/password-reset")).json()
        assert reset["expires_at"].startswith("2027-05-01T09:30")
        token = (await bus.wait_for(events.PasswordResetRequested, client_id=client["id"])).data["token"]
        clock.advance(timedelta(minutes=30))
        late = await clients.post("/password-resets", json={"token": token, "password": "trop-tard-123"})
        assert late.status_code == 409 and late.json()["code"] == "reset_token_invalid"


async def test_a_legal_guardian_with_an_account_logs_in_on_its_clients_account(clients):
    family = (await clients.post("/client-types", json={"name": "Famille", "kind": "private",
                                                        "legal_guardian_accounts": True})).json()
    client = await account(clients, client_type_id=family["id"])
    guardians = f"/clients/{client['id']}/legal-guardians"
    paul = (await clients.post(guardians, json={"last_name": "Martin", "first_name": "Paul",
                                                "email": "paul@example.org", "front_office_account": True})).json()
    without = (await clients.post(guardians, json={"last_name": "Martin", "first_name": "Anne"})).json()
    refused = await clients.put(f"{guardians}/{without['id']}/password", json={"password": PASSWORD})
    assert refused.status_code == 409 and refused.json()["code"] == "no_front_office_account"
    assert (await clients.put(f"{guardians}/{paul['id']}/password", json={"password": "mot-de-passe-paul"})
            ).status_code == 204

    logged = await login(clients, "Paul@example.org", "mot-de-passe-paul")
    assert logged.status_code == 200, logged.text
    assert logged.json() == {"client_id": client["id"], "role": "legal_guardian", "guardian_id": paul["id"],
                             "display_name": "Paul Martin", "welcome_message": "Bienvenue Claire !"}
    await clients.patch(f"/clients/{client['id']}", json={"active": False})
    assert (await login(clients, "paul@example.org", "mot-de-passe-paul")).json()["code"] == "account_inactive"


async def test_a_legal_guardian_gets_its_own_reset_link_which_changes_its_password_only(clients, bus: BusSpy):
    family = (await clients.post("/client-types", json={"name": "Famille", "kind": "private",
                                                        "legal_guardian_accounts": True})).json()
    client = await account(clients, client_type_id=family["id"])
    guardians = f"/clients/{client['id']}/legal-guardians"
    paul = (await clients.post(guardians, json={"civility": "M.", "last_name": "Martin", "first_name": "Paul",
                                                "email": "paul@example.org", "front_office_account": True})).json()
    assert (await clients.put(f"{guardians}/{paul['id']}/password", json={"password": "ancien-paul-1"})
            ).status_code == 204

    reset = await clients.post(f"{guardians}/{paul['id']}/password-reset")
    assert reset.status_code == 201, reset.text
    requested = await bus.wait_for(events.PasswordResetRequested, reset_id=reset.json()["reset_id"])
    assert requested.data["email"] == "paul@example.org" and requested.data["client_id"] == client["id"]
    assert requested.data["display_name"] == "M. Paul Martin"
    new = {"token": requested.data["token"], "password": "nouveau-paul-2"}
    assert (await clients.post("/password-resets", json=new)).status_code == 204

    assert (await login(clients, "paul@example.org", "nouveau-paul-2")).json()["role"] == "legal_guardian"
    assert (await login(clients, "paul@example.org", "ancien-paul-1")).status_code == 401
    assert (await login(clients, "claire@example.org", PASSWORD)).json()["role"] == "client"
    assert (await clients.post("/password-resets", json=new)).json()["code"] == "reset_token_invalid"

    anne = (await clients.post(guardians, json={"last_name": "Martin", "first_name": "Anne"})).json()
    refused = await clients.post(f"{guardians}/{anne['id']}/password-reset")
    assert refused.status_code == 409 and refused.json()["code"] == "no_front_office_account"
    assert (await clients.post(f"{guardians}/{uuid.uuid4()}/password-reset")).status_code == 404


async def test_a_client_in_the_trash_cannot_log_in_until_restored(clients):
    client = await account(clients)
    assert (await clients.delete(f"/clients/{client['id']}")).status_code in (200, 204)
    assert (await login(clients, "claire@example.org")).status_code == 401
    assert (await clients.post(f"/clients/{client['id']}/restore")).status_code == 200
    assert (await login(clients, "claire@example.org")).status_code == 200
