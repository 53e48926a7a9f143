"""A family's verified sign-up (identity's event) becomes its client in clients, once, with the id identity gave it;
and the public newsletter sign-up, which counts only once the link mailed is followed."""
import uuid

from shared import events
from shared.testing import BusSpy, auth

SIGNED_UP = {"email": "claire.martin@example.fr", "civility": "Mme", "last_name": "Martin", "first_name": "Claire",
             "mobile": "06 12 34 56 78", "address_lines": ["3 rue des Lilas"], "postal_code": "69003", "city": "Lyon",
             "newsletter_consent": True}


async def test_a_verified_sign_up_creates_its_prospect_once_with_its_consents(clients, bus: BusSpy, applied):
    account_id, client_id = uuid.uuid4(), uuid.uuid4()
    verified = events.SignUpVerified(account_id=account_id, client_id=client_id, **SIGNED_UP)
    await applied(await bus.publish(verified, account_id))
    client = (await clients.get(f"/clients/{client_id}")).json()
    assert (client["kind"], client["display_name"], client["email"], client["mobile"], client["postal_code"],
            client["client_type_id"]) == ("prospect", "Mme MARTIN Claire", "claire.martin@example.fr",
                                          "06 12 34 56 78", "69003", None)
    created = await bus.wait_for(events.ClientCreated, client_id=client_id)
    assert created.data["kind"] == "prospect"
    consents = (await clients.get(f"/clients/{client_id}/consents/history")).json()["items"]
    assert [(c["topic"], c["action"], c["channel"], c["recorded_by"]) for c in consents] == [
        ("newsletter", "given", "front_office", str(account_id))]
    history = (await clients.get(f"/clients/{client_id}/history")).json()["items"]
    assert {(e["actor"], e["actor_role"], e["actor_name"]) for e in history} == {
        (str(account_id), "client", "Mme MARTIN Claire")}

    await applied(await bus.publish(verified, account_id))  # delivered again, as a new message
    assert (await clients.get(f"/clients/{client_id}")).json()["version"] == client["version"]
    assert len((await clients.get("/clients", params={"q": "martin"})).json()["items"]) == 1


async def test_a_newsletter_sign_up_counts_once_confirmed_by_the_link_mailed(clients, bus: BusSpy, samples):
    public = {"Authorization": ""}
    asked = await clients.post("/newsletter-subscriptions", headers=public,
                               json={"email": "Paul.Petit@example.fr", "first_name": "Paul", "last_name": "Petit"})
    assert asked.status_code == 202, asked.text
    link = await bus.wait_for(events.NewsletterSubscriptionRequested, email="paul.petit@example.fr")
    assert link.data["display_name"] == "Paul Petit"
    assert (await clients.get("/clients", params={"q": "petit"})).json()["items"] == []

    confirmed = await clients.post("/newsletter-subscriptions", headers=public, json={"token": link.data["token"]})
    assert confirmed.status_code == 200 and confirmed.json() == {"email": "paul.petit@example.fr"}
    [prospect] = (await clients.get("/clients", params={"q": "petit"})).json()["items"]
    assert (prospect["kind"], prospect["email"], prospect["display_name"]) == ("prospect", "paul.petit@example.fr",
                                                                               "PETIT Paul")
    consents = (await clients.get(f"/clients/{prospect['id']}/consents")).json()
    assert consents["newsletter"]["granted"] is True and consents["newsletter"]["channel"] == "front_office"
    used = await clients.post("/newsletter-subscriptions", headers=public, json={"token": link.data["token"]})
    assert used.status_code == 409 and used.json()["code"] == "subscription_token_invalid"

    known = await samples.make_client(clients)
    await clients.post("/newsletter-subscriptions", headers=public, json={"email": known["email"]})
    mine = await bus.wait_for(events.NewsletterSubscriptionRequested, email=known["email"])
    assert (await clients.post("/newsletter-subscriptions", headers=public,
                               json={"token": mine.data["token"]})).status_code == 200
    assert (await clients.get(f"/clients/{known['id']}/consents", headers=auth())).json()["newsletter"]["granted"]
    assert len((await clients.get("/clients", params={"q": known["email"]})).json()["items"]) == 1


async def test_a_newsletter_request_names_what_is_wrong(clients):
    public = {"Authorization": ""}
    missing = await clients.post("/newsletter-subscriptions", headers=public, json={"first_name": "Paul"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "body.email"
    mixed = await clients.post("/newsletter-subscriptions", headers=public, json={"token": "x", "email": "a@b.fr"})
    assert mixed.status_code == 422 and mixed.json()["errors"][0]["field"] == "body.token"
    bad = await clients.post("/newsletter-subscriptions", headers=public, json={"email": "not an address"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.email"
