"""A family's own space in clients, with its front-office tokens: its profile, consents, participants and their health
forms, legal guardians and data export; what a legal guardian's account and a reseller's see; and that one family's
token never reaches another family's data (404: the ids are not confirmed)."""
import uuid
from dataclasses import dataclass

import pytest

from clients.app import ClientsSettings, create
from shared import events
from shared.testing import BusSpy, auth, eventually, front_office_operations

HEALTH_STAFF = auth("operator", perms=["health_data"])
HEALTH = {"allergies": "Arachides", "treatments": "Ventoline", "diet": None, "medical_notes": None}


@dataclass
class Family:
    id: str
    child: dict
    guardian: dict
    headers: dict

    def url(self, path: str = "") -> str:
        return f"/clients/{self.id}{path}"


async def family(clients, samples, last_name: str = "Martin") -> Family:
    """A family with a legal guardian and a child the guardian answers for, its health form filled by staff."""
    client = await samples.make_client(clients, last_name=last_name, email=f"{last_name.lower()}@example.org")
    guardian = await clients.post(f"/clients/{client['id']}/legal-guardians",
                                  json={"last_name": last_name, "first_name": "Paul"})
    assert guardian.status_code == 201, guardian.text
    child = await clients.post(f"/clients/{client['id']}/participants", json={
        "last_name": last_name, "first_name": "Léa", "birth_date": "2016-05-02",
        "legal_guardian_ids": [guardian.json()["id"]]})
    assert child.status_code == 201, child.text
    health = await clients.put(f"/clients/{client['id']}/participants/{child.json()['id']}/health", json=HEALTH,
                               headers=HEALTH_STAFF)
    assert health.status_code == 200, health.text
    return Family(client["id"], child.json(), guardian.json(),
                  auth("client", client_id=client["id"], sub=f"{last_name.lower()}@front"))


async def test_a_family_reads_and_changes_its_profile_but_none_of_the_staff_fields(clients, samples):
    martin = await family(clients, samples)
    await clients.post("/categories", json={"name": "VIP"})
    staff = await clients.patch(martin.url(), json={"category": "VIP", "info": "Appeler le soir", "disputed": True,
                                                    "permanent_discount_rate": "5.00",
                                                    "welcome_message": "Pensez à la fiche sanitaire de Léa."})
    assert staff.status_code == 200, staff.text

    profile = (await clients.get(martin.url("/profile"), headers=martin.headers)).json()
    assert (profile["id"], profile["display_name"], profile["email"]) == \
        (martin.id, "Mme MARTIN Claire", "martin@example.org")
    assert profile["client_code"].startswith("C")
    assert profile["welcome_message"] == "Pensez à la fiche sanitaire de Léa."  # shown at each login, staff's to write
    for staff_only in ("category", "info", "disputed", "blocked", "permanent_discount_rate", "markup",
                       "sales_operator"):
        assert staff_only not in profile

    changed = await clients.patch(martin.url("/profile"), headers=martin.headers, json={
        "mobile": "06 12 34 56 78", "address_lines": ["5 rue Neuve"], "postal_code": "69002", "city": "Lyon",
        "recipient_preference": "both"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["mobile"], changed.json()["version"]) == ("06 12 34 56 78", profile["version"] + 1)
    record = (await clients.get(martin.url())).json()
    assert (record["address_lines"], record["recipient_preference"], record["category"]) == \
        (["5 rue Neuve"], "both", "VIP")

    for refused in ({"category": "Standard"}, {"disputed": False}, {"permanent_discount_rate": "50.00"},
                    {"client_code": "X1"}, {"info": "rien"}, {"kind": "professional"},
                    {"welcome_message": "Bienvenue à moi"}):
        answer = await clients.patch(martin.url("/profile"), headers=martin.headers, json=refused)
        assert answer.status_code == 422, refused
        assert next(iter(refused)) in answer.text
    assert (await clients.patch(martin.url(), headers=martin.headers, json={"category": "Standard"})).status_code == 403
    assert (await clients.get(martin.url(), headers=martin.headers)).status_code == 403
    assert (await clients.get(martin.url())).json()["permanent_discount_rate"] == "5.00"


async def test_a_family_answers_its_consents_from_its_own_account(clients, samples):
    martin = await family(clients, samples)
    answered = await clients.put(martin.url("/consents"), headers=martin.headers,
                                 json={"newsletter": True, "channel": "back_office"})
    assert answered.status_code == 200, answered.text
    newsletter = answered.json()["newsletter"]
    assert (newsletter["granted"], newsletter["channel"], newsletter["recorded_by"]) == \
        (True, "front_office", "martin@front")
    assert (await clients.get(martin.url("/consents"), headers=martin.headers)).json()["newsletter"]["granted"]
    assert (await clients.get(martin.url("/consents/history"), headers=martin.headers)).status_code == 403


async def test_a_family_adds_its_children_and_fills_their_health_forms(clients, samples):
    martin = await family(clients, samples)
    tom = await clients.post(martin.url("/participants"), headers=martin.headers,
                             json={"last_name": "Martin", "first_name": "Tom", "birth_date": "2018-09-14"})
    assert tom.status_code == 201, tom.text
    renamed = await clients.patch(martin.url(f"/participants/{tom.json()['id']}"), headers=martin.headers,
                                  json={"first_name": "Thomas"})
    assert renamed.json()["first_name"] == "Thomas"
    children = (await clients.get(martin.url("/participants"), headers=martin.headers)).json()["items"]
    assert [c["first_name"] for c in children] == ["Léa", "Thomas"]

    form = martin.url(f"/participants/{tom.json()['id']}/health")
    written = await clients.put(form, headers=martin.headers, json={"allergies": "Pollen", "diet": "Sans porc"})
    assert written.status_code == 200, written.text
    assert (await clients.get(form, headers=martin.headers)).json()["allergies"] == "Pollen"
    assert (await clients.get(form, headers=HEALTH_STAFF)).json()["diet"] == "Sans porc"
    refused = await clients.get(form)
    assert (refused.status_code, refused.json()["code"]) == (403, "health_data_forbidden"), "staff still need it"

    export = (await clients.get(martin.url("/export"), headers=martin.headers)).json()
    assert {p["first_name"]: p["health_data"]["allergies"] for p in export["participants"]} == \
        {"Léa": "Arachides", "Thomas": "Pollen"}


async def test_a_family_names_which_of_its_legal_guardians_answers_for_each_child(clients, samples, bus: BusSpy):
    martin, dupont = await family(clients, samples), await family(clients, samples, "Dupont")
    anne = await clients.post(martin.url("/legal-guardians"), headers=martin.headers,
                              json={"last_name": "Martin", "first_name": "Anne"})
    assert anne.status_code == 201, anne.text
    both = [martin.guardian["id"], anne.json()["id"]]
    child = martin.url(f"/participants/{martin.child['id']}")
    linked = await clients.patch(child, headers=martin.headers, json={"legal_guardian_ids": both})
    assert sorted(linked.json()["legal_guardian_ids"]) == sorted(both)

    async def announced() -> bool:
        return any(sorted(p["legal_guardian_ids"]) == sorted(both)
                   for e in bus.of_type(events.ClientUpdated, client_id=martin.id) for p in e.data["participants"])

    await eventually(announced)

    stranger = await clients.patch(child, headers=martin.headers,
                                   json={"legal_guardian_ids": [dupont.guardian["id"]]})
    assert stranger.status_code == 422 and "legal_guardian_ids" in stranger.text
    assert (await clients.patch(child, headers=martin.headers, json={"legal_guardian_ids": None})).status_code == 422

    removed = await clients.delete(martin.url(f"/legal-guardians/{anne.json()['id']}"), headers=martin.headers)
    assert removed.status_code == 204
    assert (await clients.get(child, headers=martin.headers)).json()["legal_guardian_ids"] == [martin.guardian["id"]]


async def test_a_legal_guardian_sees_its_own_record_and_the_children_it_answers_for(clients, samples):
    martin = await family(clients, samples)
    sister = await clients.post(martin.url("/participants"), json={"last_name": "Martin", "first_name": "Zoé"})
    paul = auth("legal_guardian", client_id=martin.id, guardian_id=martin.guardian["id"])
    other_guardian = await clients.post(martin.url("/legal-guardians"),
                                        json={"last_name": "Martin", "first_name": "Eve"})

    assert [p["first_name"] for p in (await clients.get(martin.url("/participants"), headers=paul)).json()["items"]] \
        == ["Léa"]
    assert (await clients.get(martin.url(f"/participants/{sister.json()['id']}"), headers=paul)).status_code == 404
    form = martin.url(f"/participants/{martin.child['id']}/health")
    assert (await clients.get(form, headers=paul)).json() == HEALTH
    assert (await clients.put(form, headers=paul, json={**HEALTH, "diet": "Végétarien"})).json()["diet"] == "Végétarien"
    sister_form = martin.url(f"/participants/{sister.json()['id']}/health")
    assert (await clients.get(sister_form, headers=paul)).status_code == 404
    assert (await clients.put(sister_form, headers=paul, json=HEALTH)).status_code == 404

    guardians = (await clients.get(martin.url("/legal-guardians"), headers=paul)).json()["items"]
    assert [g["id"] for g in guardians] == [martin.guardian["id"]]
    assert (await clients.get(martin.url(f"/legal-guardians/{martin.guardian['id']}"), headers=paul)).status_code == 200
    other = martin.url(f"/legal-guardians/{other_guardian.json()['id']}")
    assert (await clients.get(other, headers=paul)).status_code == 404

    for method, path, body in (("GET", "/profile", None), ("PATCH", "/profile", {"city": "Nice"}),
                               ("GET", "/consents", None), ("GET", "/export", None),
                               ("PATCH", f"/participants/{martin.child['id']}", {"first_name": "X"}),
                               ("POST", "/participants", {"last_name": "X", "first_name": "Y"}),
                               ("PATCH", f"/legal-guardians/{martin.guardian['id']}", {"first_name": "X"})):
        answer = await clients.request(method, martin.url(path), headers=paul, json=body)
        assert answer.status_code == 403, (method, path, answer.text)


async def test_a_reseller_holds_its_record_but_no_child_s_health_form(clients, samples):
    town = await samples.make_client(clients, kind="professional", company_name="Mairie de Bron", markup="10")
    child = (await clients.post(f"/clients/{town['id']}/participants",
                                json={"last_name": "Petit", "first_name": "Jules"})).json()
    reseller = auth("reseller", client_id=town["id"])
    profile = (await clients.get(f"/clients/{town['id']}/profile", headers=reseller)).json()
    assert (profile["company_name"], "markup" in profile) == ("Mairie de Bron", False)
    assert (await clients.get(f"/clients/{town['id']}/participants", headers=reseller)).json()["items"][0]["id"] == \
        child["id"]
    health = await clients.get(f"/clients/{town['id']}/participants/{child['id']}/health", headers=reseller)
    assert health.status_code == 403


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    """Under /clients/{client_id}; {child} and {guardian} are the owner family's."""
    body: dict | None = None
    as_guardian: bool = False
    """Tried with a legal guardian's token of the other family (the route does not take the holder's)."""


OWN_ROUTES = [
    Route("GET", "/profile"),
    Route("PATCH", "/profile", {"city": "Nice"}),
    Route("GET", "/consents"),
    Route("PUT", "/consents", {"newsletter": True}),
    Route("GET", "/participants"),
    Route("POST", "/participants", {"last_name": "Intrus", "first_name": "Ivan"}),
    Route("GET", "/participants/{child}"),
    Route("PATCH", "/participants/{child}", {"first_name": "Ivan"}),
    Route("GET", "/participants/{child}/health"),
    Route("PUT", "/participants/{child}/health", {"allergies": "aucune"}),
    Route("GET", "/participants/{child}/health", as_guardian=True),
    Route("GET", "/legal-guardians"),
    Route("POST", "/legal-guardians", {"last_name": "Intrus"}),
    Route("GET", "/legal-guardians/{guardian}"),
    Route("GET", "/legal-guardians/{guardian}", as_guardian=True),
    Route("PATCH", "/legal-guardians/{guardian}", {"first_name": "Ivan"}),
    Route("DELETE", "/legal-guardians/{guardian}"),
    Route("GET", "/export"),
]
NOT_OURS = {("PUT", "/clients/{client_id}/password")}
"""The front-office password, which the accounts work moves from clients to identity."""


@pytest.mark.parametrize("route", OWN_ROUTES,
                         ids=lambda r: f"{r.method} {r.path}{' guardian' if r.as_guardian else ''}")
async def test_one_familys_token_finds_nothing_of_another_family(clients, samples, route: Route):
    martin, dupont = await family(clients, samples), str(uuid.uuid4())
    before = (await clients.get(martin.url(), headers=HEALTH_STAFF)).json()
    headers = auth("legal_guardian", client_id=dupont, guardian_id=str(uuid.uuid4())) if route.as_guardian \
        else auth("client", client_id=dupont)
    path = martin.url(route.path.format(child=martin.child["id"], guardian=martin.guardian["id"]))

    answer = await clients.request(route.method, path, headers=headers, json=route.body)
    assert answer.status_code == 404, answer.text
    assert answer.json()["detail"] == f"No client with id {martin.id}.", "nothing said of what the client holds"
    unknown = await clients.request(route.method, path.replace(martin.id, str(uuid.uuid4())), headers=headers,
                                    json=route.body)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found"), \
        "an existing id looks like a missing one"
    assert (await clients.get(martin.url(), headers=HEALTH_STAFF)).json() == before
    form = await clients.get(martin.url(f"/participants/{martin.child['id']}/health"), headers=HEALTH_STAFF)
    assert form.json() == HEALTH


def test_every_front_office_route_of_clients_has_its_ownership_test():
    """A new route that takes families' tokens must join OWN_ROUTES."""
    front_office = front_office_operations(create(ClientsSettings(environment="development", jwks='{"keys": []}')))
    tested = {(route.method, "/clients/{client_id}" + route.path.format(child="{participant_id}",
                                                                        guardian="{guardian_id}"))
              for route in OWN_ROUTES}
    assert front_office - NOT_OURS == tested
