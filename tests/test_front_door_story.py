"""The front door for families, through the six services as separate processes and the mails received by SMTP: a
family signs up, proves its e-mail with the link mailed, becomes a prospect in clients and logs in; it changes its
password, forgets it and chooses another from a mail; what staff decide in clients (inactive with a message, blocked,
a type without online ordering or accounts, erasure) refuses its logins at identity; the newsletter sign-up is
confirmed by mail."""
import re
import uuid
from urllib.parse import unquote

import jwt
import pytest

from shared.testing import Platform, auth, eventually

pytestmark = pytest.mark.e2e
PASSWORD = "vacances à la mer"


async def mail_to(platform: Platform, recipient: str, subject: str, after: int = 0):
    """The mail to `recipient` whose subject starts with `subject`, past the `after` first such ones."""
    async def arrived():
        found = [r for r in platform.smtp.to(recipient) if r.message["Subject"].startswith(subject)]
        return found[after] if len(found) > after else None

    return await eventually(arrived, timeout=30)


def link_token(received) -> str:
    return unquote(re.search(r"jeton=(\S+)", received.message.get_body(("plain",)).get_content())[1])


async def log_in(identity, email: str, password: str = PASSWORD):
    return await identity.post("/token", data={"grant_type": "password", "username": email, "password": password})


async def signed_up(platform: Platform, email: str) -> dict:
    """A family signed up and verified: its account and client ids."""
    identity = platform.client("identity")
    answer = await identity.post("/sign-ups", headers={"Authorization": ""}, json={
        "email": email, "password": PASSWORD, "civility": "Mme", "last_name": "Roussel", "first_name": "Anne",
        "postal_code": "33000", "city": "Bordeaux", "newsletter_consent": True})
    assert answer.status_code == 202, answer.text
    verification = await mail_to(platform, email, "Confirmez votre adresse e-mail")
    verified = await identity.post("/email-verifications", json={"token": link_token(verification)})
    assert verified.status_code == 200, verified.text
    return verified.json()


async def test_a_family_signs_up_proves_its_email_and_logs_in_as_its_new_prospect(platform: Platform):
    identity, clients = platform.client("identity"), platform.client("clients")
    email = f"anne.roussel.{uuid.uuid4().hex[:6]}@example.fr"
    family = {"email": email, "password": PASSWORD, "civility": "Mme", "last_name": "Roussel", "first_name": "Anne",
              "mobile": "06 11 22 33 44", "address_lines": ["8 cours de l'Intendance"], "postal_code": "33000",
              "city": "Bordeaux", "newsletter_consent": True}
    public = {"Authorization": ""}
    answer = await identity.post("/sign-ups", headers=public, json=family)
    assert answer.status_code == 202, answer.text

    verification = await mail_to(platform, email, "Confirmez votre adresse e-mail pour activer votre espace client")
    assert verification.rcpt_tos == [email]
    text = verification.message.get_body(("plain",)).get_content()
    assert text.startswith("Bonjour Mme ROUSSEL Anne,") and "/confirmation-inscription?jeton=" in text
    early = await log_in(identity, email)
    assert early.status_code == 403 and early.json()["code"] == "email_not_verified"

    again = await identity.post("/email-verifications", headers=public, json={"email": email})
    assert again.status_code == 202
    newest = await mail_to(platform, email, "Confirmez votre adresse e-mail", after=1)
    stale = await identity.post("/email-verifications", json={"token": link_token(verification)})
    assert stale.status_code == 409 and stale.json()["code"] == "verification_token_invalid"
    verified = await identity.post("/email-verifications", headers=public, json={"token": link_token(newest)})
    assert verified.status_code == 200, verified.text
    client_id = verified.json()["client_id"]

    welcome = await mail_to(platform, email, "Bienvenue dans votre espace client")
    assert "Votre adresse e-mail est confirmée" in welcome.message.get_body(("plain",)).get_content()

    async def prospect():
        found = await clients.get(f"/clients/{client_id}")
        return found.json() if found.status_code == 200 else None

    client = await eventually(prospect, timeout=30)
    assert (client["kind"], client["display_name"], client["email"], client["city"]) == (
        "prospect", "Mme ROUSSEL Anne", email, "Bordeaux")
    consents = (await clients.get(f"/clients/{client_id}/consents")).json()
    assert consents["newsletter"]["granted"] is True and consents["partner_offers"]["granted"] is False
    [created] = (await clients.get(f"/clients/{client_id}/history")).json()["items"][:1]
    assert (created["action"], created["actor"], created["actor_name"]) == (
        "created", verified.json()["account_id"], "Mme ROUSSEL Anne")

    login = await log_in(identity, email)
    assert login.status_code == 200, login.text
    claims = jwt.decode(login.json()["access_token"], options={"verify_signature": False})
    assert (claims["sub"], claims["role"], claims["client_id"], claims["name"]) == (
        verified.json()["account_id"], "client", client_id, "Mme ROUSSEL Anne")

    repeated = await identity.post("/sign-ups", headers=public, json={**family, "password": "another password!"})
    assert repeated.status_code == 202 and repeated.json() == answer.json()
    told = await mail_to(platform, email, "Une inscription a été demandée avec votre adresse e-mail")
    assert "Vous avez déjà un compte chez nous" in told.message.get_body(("plain",)).get_content()
    assert (await log_in(identity, email, "another password!")).json()["code"] == "invalid_credentials"


async def test_a_family_changes_then_resets_its_password_and_other_sessions_end(platform: Platform):
    identity = platform.client("identity")
    email = f"anne.roussel.{uuid.uuid4().hex[:6]}@example.fr"
    await signed_up(platform, email)
    phone, laptop = (await log_in(identity, email)).json(), (await log_in(identity, email)).json()

    changed = await identity.put("/me/password", headers={"Authorization": f"Bearer {laptop['access_token']}"},
                                 json={"current_password": PASSWORD, "new_password": "un tout nouveau mot de passe"})
    assert changed.status_code == 204
    renewed = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": phone["refresh_token"]})
    assert renewed.status_code == 400 and renewed.json()["code"] == "refresh_token_revoked"
    laptop = (await identity.post("/token", data={"grant_type": "refresh_token",
                                                  "refresh_token": laptop["refresh_token"]})).json()

    for address in (email, f"nobody.{uuid.uuid4().hex[:6]}@example.fr"):
        asked = await identity.post("/password-resets", headers={"Authorization": ""}, json={"email": address})
        assert asked.status_code == 202
    reset = await mail_to(platform, email, "Choisissez votre nouveau mot de passe")
    assert "/mot-de-passe?jeton=" in reset.message.get_body(("plain",)).get_content()
    chosen = await identity.post("/password-resets", json={"token": link_token(reset),
                                                           "password": "celui de la montagne"})
    assert chosen.status_code == 204
    renewed = await identity.post("/token", data={"grant_type": "refresh_token",
                                                  "refresh_token": laptop["refresh_token"]})
    assert renewed.json()["code"] == "refresh_token_revoked"
    assert (await log_in(identity, email, "celui de la montagne")).status_code == 200


async def test_what_staff_decide_in_clients_refuses_the_family_s_logins_with_a_message(platform: Platform):
    identity, clients = platform.client("identity"), platform.client("clients")
    email = f"anne.roussel.{uuid.uuid4().hex[:6]}@example.fr"
    client_id = (await signed_up(platform, email))["client_id"]
    await eventually(lambda: _status_is(clients, client_id, 200), timeout=30)

    async def refused_with(code: str, password: str = PASSWORD):
        async def refused():
            answer = await log_in(identity, email, password)
            return answer.json() if answer.json().get("code") == code else None

        return await eventually(refused, timeout=30)

    session = (await log_in(identity, email)).json()["refresh_token"]
    await clients.patch(f"/clients/{client_id}", json={"active": False,
                                                        "inactive_message": "Compte suspendu : dossier incomplet."})
    inactive = await refused_with("account_inactive")
    assert inactive["detail"] == "Compte suspendu : dossier incomplet."
    renewed = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": session})
    assert renewed.json()["code"] == "refresh_token_revoked"

    await clients.patch(f"/clients/{client_id}", json={"active": True, "blocked": True})
    await refused_with("client_blocked")
    by_phone = (await clients.post("/client-types", json={
        "name": f"Sur appel {uuid.uuid4().hex[:6]}", "kind": "prospect", "front_office_ordering_allowed": False,
        "front_office_account_allowed": True})).json()
    await clients.patch(f"/clients/{client_id}", json={"blocked": False})
    await clients.patch(f"/clients/{client_id}", json={"client_type_id": by_phone["id"]})
    ordering = await refused_with("front_office_ordering_forbidden")
    assert "service client" in ordering["detail"]
    await clients.patch(f"/client-types/{by_phone['id']}", json={"front_office_ordering_allowed": True,
                                                                 "front_office_account_allowed": False})
    await refused_with("front_office_account_forbidden")
    await clients.patch(f"/client-types/{by_phone['id']}", json={"front_office_account_allowed": True})

    async def back_in():
        return (await log_in(identity, email)).status_code == 200

    await eventually(back_in, timeout=30)
    for _ in range(5):  # the platform's lockout: 5 failures in a row
        assert (await log_in(identity, email, "pas le bon mot de passe")).json()["code"] == "invalid_credentials"
    locked = await log_in(identity, email)
    assert locked.status_code == 429 and locked.json()["code"] == "account_locked" and locked.headers["Retry-After"]


async def test_an_erased_family_loses_its_account(platform: Platform):
    identity, clients = platform.client("identity"), platform.client("clients")
    email = f"anne.roussel.{uuid.uuid4().hex[:6]}@example.fr"
    client_id = (await signed_up(platform, email))["client_id"]
    await eventually(lambda: _status_is(clients, client_id, 200), timeout=30)
    assert (await log_in(identity, email)).status_code == 200
    erased = await clients.post(f"/clients/{client_id}/anonymisation", headers=auth("admin"))
    assert erased.status_code == 200, erased.text

    async def gone():
        return (await log_in(identity, email)).json().get("code") == "invalid_credentials"

    await eventually(gone, timeout=30)
    accounts = (await identity.get("/accounts", params={"client_id": client_id})).json()["items"]
    assert [(a["email"], a["display_name"], a["active"]) for a in accounts] == [("", "Anonyme", False)]


async def test_a_newsletter_sign_up_counts_once_confirmed_from_the_mail(platform: Platform):
    clients = platform.client("clients")
    email = f"paul.petit.{uuid.uuid4().hex[:6]}@example.fr"
    asked = await clients.post("/newsletter-subscriptions", headers={"Authorization": ""},
                               json={"email": email, "first_name": "Paul", "last_name": "Petit"})
    assert asked.status_code == 202, asked.text
    mail = await mail_to(platform, email, "Confirmez votre inscription à notre lettre d'information")
    assert "/confirmation-newsletter?jeton=" in mail.message.get_body(("plain",)).get_content()
    assert (await clients.get("/clients", params={"q": email})).json()["items"] == []
    confirmed = await clients.post("/newsletter-subscriptions", headers={"Authorization": ""},
                                   json={"token": link_token(mail)})
    assert confirmed.status_code == 200
    [prospect] = (await clients.get("/clients", params={"q": email})).json()["items"]
    assert prospect["kind"] == "prospect"
    assert (await clients.get(f"/clients/{prospect['id']}/consents")).json()["newsletter"]["granted"] is True


async def _status_is(http, client_id: str, status: int) -> bool:
    return (await http.get(f"/clients/{client_id}")).status_code == status
