"""A family signs up: its account waits for the e-mail to be proven, then belongs to the client identity named and
announced; the public requests by e-mail (a new link, a forgotten password) answer the same whoever asks."""
import jwt

from shared import events
from shared.testing import BusSpy, auth, eventually

FAMILY = {"email": "Claire.Martin@example.fr", "password": "vacances à la mer", "civility": "Mme",
          "last_name": "Martin", "first_name": "Claire", "mobile": "06 12 34 56 78", "address_lines": ["3 rue des Lilas"],
          "postal_code": "69003", "city": "Lyon", "newsletter_consent": True}
SENT = {"detail": "If this address can be used, a message has been sent to it: follow its link."}


async def log_in(identity, login="claire.martin@example.fr", password=FAMILY["password"]):
    return await identity.post("/token", data={"grant_type": "password", "username": login, "password": password})


async def link_after(bus: BusSpy, before: int) -> events.Envelope:
    """The verification link announced after the `before` first ones."""
    async def mailed():
        found = bus.of_type(events.EmailVerificationRequested)
        return found[-1] if len(found) > before else None

    return await eventually(mailed)


async def sign_up(identity, bus: BusSpy, **changes) -> events.Envelope:
    before = len(bus.of_type(events.EmailVerificationRequested))
    answer = await identity.post("/sign-ups", json={**FAMILY, **changes})
    assert answer.status_code == 202 and answer.json() == SENT, answer.text
    return await link_after(bus, before)


async def test_a_family_proves_its_email_then_logs_in_as_the_client_identity_announced(identity, bus):
    link = await sign_up(identity, bus)
    assert (link.data["email"], link.data["display_name"]) == ("Claire.Martin@example.fr", "Mme MARTIN Claire")
    unverified = await log_in(identity)
    assert unverified.status_code == 403 and unverified.json()["code"] == "email_not_verified"
    assert "lien" in unverified.json()["detail"]
    assert (await log_in(identity, password="not the password")).json()["code"] == "invalid_credentials"
    assert (await identity.get("/accounts", headers=auth("operator"))).json()["items"] == []

    verified = await identity.post("/email-verifications", json={"token": link.data["token"]})
    assert verified.status_code == 200, verified.text
    body = verified.json()
    assert body["account_id"] == link.data["account_id"] and body["email"] == "Claire.Martin@example.fr"
    announced = await bus.wait_for(events.SignUpVerified, account_id=body["account_id"])
    assert announced.data == {
        "account_id": body["account_id"], "client_id": body["client_id"], "email": "Claire.Martin@example.fr",
        "civility": "Mme", "last_name": "Martin", "first_name": "Claire", "mobile": "06 12 34 56 78",
        "address_lines": ["3 rue des Lilas"], "postal_code": "69003", "city": "Lyon", "country": "FR",
        "newsletter_consent": True, "partner_offers_consent": False}
    created = await bus.wait_for(events.AccountCreated, account_id=body["account_id"])
    assert (created.data["role"], created.data["client_id"], created.data["active"]) == ("client", body["client_id"],
                                                                                         True)

    login = await log_in(identity, "CLAIRE.MARTIN@example.fr")
    assert login.status_code == 200, login.text
    claims = jwt.decode(login.json()["access_token"], options={"verify_signature": False})
    assert (claims["role"], claims["client_id"], claims["name"]) == ("client", body["client_id"], "Mme MARTIN Claire")
    used = await identity.post("/email-verifications", json={"token": link.data["token"]})
    assert used.status_code == 409 and used.json()["code"] == "verification_token_invalid"


async def test_a_sign_up_with_a_known_email_answers_the_same_and_tells_the_owner(identity, bus):
    first = await sign_up(identity, bus)
    await identity.post("/email-verifications", json={"token": first.data["token"]})
    answer = await identity.post("/sign-ups", json={**FAMILY, "password": "someone else's password"})
    assert answer.status_code == 202 and answer.json() == SENT
    told = await bus.wait_for(events.SignUpRepeated, account_id=first.data["account_id"])
    assert told.data["email"] == "Claire.Martin@example.fr"
    assert len(bus.of_type(events.EmailVerificationRequested)) == 1
    assert (await log_in(identity, password="someone else's password")).json()["code"] == "invalid_credentials"
    staff = await identity.post("/users", headers=auth("admin"), json={
        "email": "lucie@colo.local", "display_name": "Lucie", "role": "operator"})
    await identity.post("/sign-ups", json={**FAMILY, "email": "lucie@colo.local"})
    await bus.wait_for(events.SignUpRepeated, account_id=staff.json()["id"])


async def test_signing_up_again_or_asking_again_sends_a_new_link_and_only_the_newest_works(identity, bus):
    first = await sign_up(identity, bus)
    second = await sign_up(identity, bus, password="my second thought", first_name="Clara")
    assert second.data["account_id"] == first.data["account_id"] and second.data["display_name"] == "Mme MARTIN Clara"
    assert (await log_in(identity)).json()["code"] == "invalid_credentials"
    assert (await log_in(identity, password="my second thought")).json()["code"] == "email_not_verified"

    before = len(bus.of_type(events.EmailVerificationRequested))
    asked = await identity.post("/email-verifications", json={"email": "claire.martin@example.fr"})
    assert asked.status_code == 202 and asked.json() == SENT
    unknown = await identity.post("/email-verifications", json={"email": "nobody@example.fr"})
    assert unknown.status_code == 202 and unknown.json() == SENT
    third = await link_after(bus, before)
    assert third.data["account_id"] == first.data["account_id"]
    assert len(bus.of_type(events.EmailVerificationRequested)) == before + 1

    for stale in (first, second):
        refused = await identity.post("/email-verifications", json={"token": stale.data["token"]})
        assert refused.json()["code"] == "verification_token_invalid"
    verified = await identity.post("/email-verifications", json={"token": third.data["token"]})
    assert verified.status_code == 200
    announced = await bus.wait_for(events.SignUpVerified, account_id=first.data["account_id"])
    assert announced.data["first_name"] == "Clara"
    assert (await log_in(identity, password="my second thought")).status_code == 200
    done = await identity.post("/email-verifications", json={"email": "claire.martin@example.fr"})
    assert done.status_code == 202 and len(bus.of_type(events.EmailVerificationRequested)) == before + 1


async def test_a_forgotten_password_is_mailed_a_link_whose_use_ends_every_session(identity, bus):
    link = await sign_up(identity, bus)
    await identity.post("/email-verifications", json={"token": link.data["token"]})
    sessions = [(await log_in(identity)).json()["refresh_token"] for _ in range(2)]

    for email in ("claire.martin@example.fr", "nobody@example.fr"):
        asked = await identity.post("/password-resets", json={"email": email})
        assert asked.status_code == 202 and asked.json() == SENT
    reset = await bus.wait_for(events.AccountPasswordResetRequested, account_id=link.data["account_id"])
    assert reset.data["role"] == "client" and reset.data["new_account"] is False
    assert len(bus.of_type(events.AccountPasswordResetRequested)) == 1

    chosen = await identity.post("/password-resets", json={"token": reset.data["token"], "password": "a new one, long"})
    assert chosen.status_code == 204
    for session in sessions:
        renewed = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": session})
        assert renewed.json()["code"] == "refresh_token_revoked"
    assert (await log_in(identity, password="a new one, long")).status_code == 200
    again = await identity.post("/password-resets", json={"token": reset.data["token"], "password": "and another one"})
    assert again.status_code == 409 and again.json()["code"] == "reset_token_invalid"


async def test_a_family_changes_its_password_and_its_other_sessions_end(identity, bus):
    link = await sign_up(identity, bus)
    await identity.post("/email-verifications", json={"token": link.data["token"]})
    phone, laptop = (await log_in(identity)).json(), (await log_in(identity)).json()
    headers = {"Authorization": f"Bearer {laptop['access_token']}"}
    wrong = await identity.put("/me/password", headers=headers,
                               json={"current_password": "a guess", "new_password": "my brand new password"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_password"
    changed = await identity.put("/me/password", headers=headers,
                                 json={"current_password": FAMILY["password"], "new_password": "my brand new password"})
    assert changed.status_code == 204
    ended = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": phone["refresh_token"]})
    assert ended.json()["code"] == "refresh_token_revoked"
    kept = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": laptop["refresh_token"]})
    assert kept.status_code == 200
    assert (await log_in(identity, password="my brand new password")).status_code == 200


async def test_bad_input_names_its_field(identity):
    cases = [({**FAMILY, "postal_code": "6900"}, "body.postal_code"), ({**FAMILY, "password": "short"}, "body.password"),
             ({**FAMILY, "last_name": "  "}, "body.last_name"), ({**FAMILY, "email": "not an e-mail"}, "body.email")]
    for body, field in cases:
        refused = await identity.post("/sign-ups", json=body)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == field, refused.text
    assert (await identity.post("/sign-ups", json={**FAMILY, "country": "BE", "postal_code": "1000"})).status_code == 202
    half = await identity.post("/password-resets", json={"token": "abc"})
    assert half.status_code == 422 and half.json()["errors"][0]["field"] == "body.password"
    both = await identity.post("/password-resets", json={"email": "a@example.fr", "token": "abc"})
    assert both.status_code == 422
    assert (await identity.post("/email-verifications", json={})).json()["errors"][0]["field"] == "body.token"
