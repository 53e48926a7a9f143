"""Front-office accounts given by staff, and who may log in with one: identity decides from what clients announced of
the client and its type (seeds 000 and 003), refuses with a message for the person, and ends the sessions of a
client blocked or made inactive; an anonymised client loses its accounts."""
import uuid

import jwt

from shared import events
from shared.testing import BusSpy, auth

from .conftest import PASSWORD

STAFF = auth("operator")
MARTIN = {"kind": "private", "display_name": "Mme MARTIN Claire", "civility": "Mme", "last_name": "Martin",
          "first_name": "Claire", "email": "claire.martin@example.org", "client_code": "C0000042"}


class Client:
    """One client as clients announces it, version after version."""

    def __init__(self, bus: BusSpy, applied, **fields) -> None:
        self.bus, self.applied, self.version = bus, applied, 0
        self.fields = {"client_id": uuid.uuid4(), **MARTIN, **fields}

    @property
    def id(self) -> str:
        return str(self.fields["client_id"])

    async def announce(self, cls: type[events.ClientState] = events.ClientUpdated, **changes) -> None:
        self.fields.update(changes)
        self.version += 1
        await self.applied(await self.bus.publish(cls(**self.fields), self.id, self.version))


async def client_type(bus: BusSpy, applied, version: int = 1, type_id: uuid.UUID | None = None, **flags) -> uuid.UUID:
    type_id = type_id or uuid.uuid4()
    values = {"name": "Particuliers", "kind": "private", "front_office_account_allowed": True,
              "front_office_ordering_allowed": True, "legal_guardian_accounts": False, **flags}
    cls = events.ClientTypeCreated if version == 1 else events.ClientTypeUpdated
    await applied(await bus.publish(cls(client_type_id=type_id, **values), type_id, version))
    return type_id


async def account_with_password(identity, bus: BusSpy, client: Client, **body) -> dict:
    given = await identity.post("/accounts", headers=STAFF, json={"client_id": client.id, **body})
    assert given.status_code == 201, given.text
    link = await bus.wait_for(events.AccountPasswordResetRequested, account_id=given.json()["id"])
    chosen = await identity.post("/password-resets", json={"token": link.data["token"], "password": PASSWORD})
    assert chosen.status_code == 204, chosen.text
    return given.json()


async def log_in(identity, login=MARTIN["email"], password=PASSWORD):
    return await identity.post("/token", data={"grant_type": "password", "username": login, "password": password})


async def test_staff_give_a_client_an_account_whose_owner_chooses_its_password_and_logs_in(identity, bus, applied):
    client = Client(bus, applied)
    await client.announce(events.ClientCreated)
    given = await identity.post("/accounts", headers=STAFF, json={"client_id": client.id})
    assert given.status_code == 201, given.text
    account = given.json()
    assert (account["role"], account["email"], account["display_name"], account["client_id"], account["active"],
            account["password_set"]) == ("client", "claire.martin@example.org", "Mme MARTIN Claire", client.id, True,
                                         False)
    link = await bus.wait_for(events.AccountPasswordResetRequested, account_id=account["id"])
    assert link.data["new_account"] is True and link.data["role"] == "client"
    assert (await log_in(identity)).status_code == 400
    assert (await identity.post("/password-resets", json={"token": link.data["token"], "password": PASSWORD})
            ).status_code == 204

    login = await log_in(identity)
    assert login.status_code == 200, login.text
    claims = jwt.decode(login.json()["access_token"], options={"verify_signature": False})
    assert (claims["sub"], claims["role"], claims["client_id"], claims["name"], claims["email"]) == (
        account["id"], "client", client.id, "Mme MARTIN Claire", "claire.martin@example.org")
    assert (await log_in(identity, "c0000042")).status_code == 200

    listed = (await identity.get("/accounts", headers=STAFF, params={"client_id": client.id})).json()["items"]
    assert [a["id"] for a in listed] == [account["id"]] and listed[0]["password_set"] is True
    again = await identity.post("/accounts", headers=STAFF, json={"client_id": client.id})
    assert again.status_code == 409 and again.json()["code"] == "account_exists"
    assert (await identity.post("/accounts", headers=auth("accountant"), json={"client_id": client.id})
            ).status_code == 403
    await client.announce(display_name="Mme MARTIN-DURAND Claire")
    renamed = await bus.wait_for(events.AccountUpdated, account_id=account["id"])
    assert renamed.data["display_name"] == "Mme MARTIN-DURAND Claire"


async def test_who_may_have_an_account_follows_the_client_type_and_the_kind(identity, bus, applied):
    unknown = await identity.post("/accounts", headers=STAFF, json={"client_id": str(uuid.uuid4())})
    assert unknown.status_code == 404
    closed = await client_type(bus, applied, front_office_account_allowed=False)
    refusals = {
        "front_office_account_forbidden": ({"client_type_id": closed}, {}),
        "not_a_reseller": ({}, {"role": "reseller"}),
        "guardian_accounts_disabled": ({"legal_guardians": [{"guardian_id": str(uuid.uuid4()), "last_name": "Martin",
                                                              "email": "paul@example.org"}]}, {"role": "legal_guardian"}),
        "email_required": ({"email": None}, {}),
        "client_blocked": ({"blocked": True}, {}),
    }
    for code, (fields, body) in refusals.items():
        client = Client(bus, applied, **fields)
        await client.announce(events.ClientCreated)
        if body.get("role") == "legal_guardian":
            body["guardian_id"] = client.fields["legal_guardians"][0]["guardian_id"]
        refused = await identity.post("/accounts", headers=STAFF, json={"client_id": client.id, **body})
        assert refused.status_code == 409 and refused.json()["code"] == code, (code, refused.text)

    reseller = Client(bus, applied, kind="professional", company_name="Mairie de Lyon", display_name="Mairie de Lyon",
                      email="colos@mairie-lyon.fr")
    await reseller.announce(events.ClientCreated)
    given = await identity.post("/accounts", headers=STAFF, json={"client_id": reseller.id, "role": "reseller"})
    assert given.status_code == 201 and given.json()["role"] == "reseller"
    half = await identity.post("/accounts", headers=STAFF, json={"client_id": reseller.id, "role": "legal_guardian"})
    assert half.status_code == 422 and half.json()["errors"][0]["field"] == "body.guardian_id"


async def test_a_login_is_refused_with_a_message_while_the_client_or_its_type_does_not_allow_it(
        identity, bus, applied):
    client = Client(bus, applied)
    await client.announce(events.ClientCreated)
    await account_with_password(identity, bus, client)

    await client.announce(active=False, inactive_message="Compte suspendu : facture impayée.")
    inactive = await log_in(identity)
    assert inactive.status_code == 403 and inactive.json()["code"] == "account_inactive"
    assert inactive.json()["detail"] == "Compte suspendu : facture impayée."
    await client.announce(inactive_message=None)
    assert (await log_in(identity)).json()["detail"] == "Votre compte est désactivé : contactez notre service client."

    await client.announce(active=True, blocked=True)
    blocked = await log_in(identity)
    assert blocked.status_code == 403 and blocked.json()["code"] == "client_blocked"

    by_phone = await client_type(bus, applied, front_office_ordering_allowed=False)
    await client.announce(blocked=False, client_type_id=by_phone)
    ordering = await log_in(identity)
    assert ordering.status_code == 403 and ordering.json()["code"] == "front_office_ordering_forbidden"
    assert "service client" in ordering.json()["detail"]
    await client_type(bus, applied, 2, by_phone, front_office_account_allowed=False)
    closed = await log_in(identity)
    assert closed.status_code == 403 and closed.json()["code"] == "front_office_account_forbidden"

    await client_type(bus, applied, 3, by_phone)
    assert (await log_in(identity)).status_code == 200
    wrong = await log_in(identity, password="not the password")
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_credentials"
    await client.announce(active=False)
    hidden = await log_in(identity, password="not the password")
    assert hidden.json()["code"] == "invalid_credentials", "a wrong password learns nothing of the account's state"
    for _ in range(2):
        await log_in(identity, password="not the password")
    locked = await log_in(identity)
    assert locked.status_code == 429 and locked.json()["code"] == "account_locked"


async def test_blocking_or_deactivating_a_client_ends_its_sessions_and_trashing_it_too(identity, bus, applied):
    client = Client(bus, applied)
    await client.announce(events.ClientCreated)
    await account_with_password(identity, bus, client)
    for change, code in (({"blocked": True}, "client_blocked"), ({"blocked": False, "active": False},
                                                                  "account_inactive")):
        session = (await log_in(identity)).json()["refresh_token"]
        await client.announce(**change)
        renewed = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": session})
        assert renewed.status_code == 400 and renewed.json()["code"] == "refresh_token_revoked", code
        await client.announce(active=True, blocked=False)
    session = (await log_in(identity)).json()["refresh_token"]
    await client.announce(events.ClientDeleted)
    assert (await log_in(identity)).json()["code"] == "account_disabled"
    renewed = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": session})
    assert renewed.status_code == 400
    await client.announce(events.ClientRestored)
    assert (await log_in(identity)).status_code == 200


async def test_an_anonymised_client_loses_its_accounts_for_good(identity, bus, applied):
    guardian_id = str(uuid.uuid4())
    guardians_type = await client_type(bus, applied, legal_guardian_accounts=True)
    client = Client(bus, applied, client_type_id=guardians_type, legal_guardians=[
        {"guardian_id": guardian_id, "civility": "M.", "last_name": "Martin", "first_name": "Paul",
         "email": "paul.martin@example.org"}])
    await client.announce(events.ClientCreated)
    own = await account_with_password(identity, bus, client)
    paul = await account_with_password(identity, bus, client, role="legal_guardian", guardian_id=guardian_id)
    assert paul["display_name"] == "M. MARTIN Paul" and paul["guardian_id"] == guardian_id
    assert (await log_in(identity, "paul.martin@example.org")).status_code == 200

    await client.announce(events.ClientAnonymised, display_name="Anonyme", last_name="Anonyme", first_name=None,
                          email=None, legal_guardians=[])
    for account in (own, paul):
        erased = await bus.wait_for(events.AccountDisabled, account_id=account["id"])
        assert (erased.data["email"], erased.data["display_name"], erased.data["active"]) == ("", "Anonyme", False)
    for login in (MARTIN["email"], "paul.martin@example.org", MARTIN["client_code"]):
        assert (await log_in(identity, login)).json()["code"] == "invalid_credentials"
    await client.announce(blocked=False)  # a later event of the client brings nothing back
    assert (await log_in(identity)).json()["code"] == "invalid_credentials"
    assert (await identity.post(f"/accounts/{own['id']}/enable", headers=STAFF)).json()["email"] == ""


async def test_a_guardian_removed_from_its_client_loses_its_account(identity, bus, applied):
    guardians_type = await client_type(bus, applied, legal_guardian_accounts=True)
    paul = {"guardian_id": str(uuid.uuid4()), "last_name": "Martin", "first_name": "Paul",
            "email": "paul.martin@example.org"}
    client = Client(bus, applied, client_type_id=guardians_type, legal_guardians=[paul])
    await client.announce(events.ClientCreated)
    account = await account_with_password(identity, bus, client, role="legal_guardian",
                                          guardian_id=paul["guardian_id"])
    login = await log_in(identity, "paul.martin@example.org")
    claims = jwt.decode(login.json()["access_token"], options={"verify_signature": False})
    assert (claims["role"], claims["client_id"], claims["guardian_id"]) == (
        "legal_guardian", client.id, paul["guardian_id"])
    await client_type(bus, applied, 2, guardians_type, legal_guardian_accounts=False)
    assert (await log_in(identity, "paul.martin@example.org")).json()["code"] == "front_office_account_forbidden"
    assert (await log_in(identity)).status_code == 400, "the client itself has no account"

    await client.announce(legal_guardians=[])
    disabled = await bus.wait_for(events.AccountDisabled, account_id=account["id"])
    assert disabled.data["active"] is False
    assert (await log_in(identity, "paul.martin@example.org")).json()["code"] == "account_disabled"


async def test_an_account_staff_give_takes_its_email_from_a_sign_up_nobody_proved(identity, bus, applied):
    await identity.post("/sign-ups", json={"email": MARTIN["email"], "password": "someone else's", "last_name": "X",
                                           "first_name": "Y"})
    link = await bus.wait_for(events.EmailVerificationRequested, email=MARTIN["email"])
    client = Client(bus, applied)
    await client.announce(events.ClientCreated)
    account = await account_with_password(identity, bus, client)
    assert account["client_id"] == client.id
    dropped = await identity.post("/email-verifications", json={"token": link.data["token"]})
    assert dropped.status_code == 409 and dropped.json()["code"] == "verification_token_invalid"
    assert (await log_in(identity)).status_code == 200


async def test_staff_send_a_new_link_disable_and_enable_an_account(identity, bus, applied):
    client = Client(bus, applied)
    await client.announce(events.ClientCreated)
    account = await account_with_password(identity, bus, client)
    session = (await log_in(identity)).json()["refresh_token"]
    link = await identity.post(f"/accounts/{account['id']}/password-reset", headers=STAFF)
    assert link.status_code == 201
    mailed = await bus.wait_for(events.AccountPasswordResetRequested, reset_id=link.json()["reset_id"])
    assert mailed.data["new_account"] is False and mailed.data["email"] == MARTIN["email"]

    disabled = await identity.post(f"/accounts/{account['id']}/disable", headers=STAFF)
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    assert (await log_in(identity)).json()["code"] == "account_disabled"
    renewed = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": session})
    assert renewed.status_code == 400
    assert (await identity.get("/accounts", headers=STAFF, params={"active": False})).json()["items"][0]["id"] == \
        account["id"]
    assert (await identity.post(f"/accounts/{account['id']}/enable", headers=STAFF)).json()["active"] is True
    assert (await log_in(identity)).status_code == 200
    staff = await identity.post("/users", headers=auth("admin"), json={
        "email": "lucie@colo.local", "display_name": "Lucie", "role": "operator", "password": PASSWORD})
    assert (await identity.post(f"/accounts/{staff.json()['id']}/disable", headers=STAFF)).status_code == 404
