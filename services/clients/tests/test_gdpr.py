"""GDPR: a client's data export and its anonymisation, refused until its balance is zero."""
import uuid

import httpx
import pytest

from clients.gdpr import ERASED, KEPT, client_tables
from clients.holdings import HttpHoldings
from shared import events
from shared.problems import Problem
from shared.testing import BusSpy, auth

HEALTH_STAFF = auth("operator", perms=["health_data"])


def test_every_table_that_belongs_to_a_client_is_either_erased_or_kept_knowingly():
    assert {table.name for table in client_tables()} | {"clients"} == set(ERASED) | set(KEPT)


async def client_with_an_invoiced_order(clients, samples, bus: BusSpy, applied, paid: str):
    client = await samples.make_client(clients)
    participant = (await clients.post(f"/clients/{client['id']}/participants",
                                      json={"last_name": "Martin", "first_name": "Léa", "birth_date": "2015-04-23",
                                            "sex": "female"})).json()
    order_id = uuid.uuid4()
    await applied(await bus.publish(samples.order_event(events.OrderValidated, client["id"], order_id, "validated",
                                                paid=paid), order_id, 3))
    await applied(await bus.publish(samples.invoice_event(client["id"], order_id, uuid.uuid4()), order_id, 1))
    return client, participant, order_id


async def test_the_export_holds_everything_colo_knows_of_the_client(clients, samples, bus: BusSpy, applied, holdings):
    client, participant, order_id = await client_with_an_invoiced_order(clients, samples, bus, applied, "850.00")
    elsewhere = {"orders": [{"id": str(order_id), "reference": "C000042"}], "quotes": [],
                 "invoices": [{"reference": "F2027-00001"}], "credit_notes": [], "emails": [{"subject": "Option"}]}
    holdings.held[client["id"]] = elsewhere
    response = await clients.get(f"/clients/{client['id']}/export")
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    document = response.json()
    assert (document["client"]["id"], document["client"]["email"]) == (client["id"], "claire.martin@example.org")
    assert [(p["id"], p["first_name"], p["birth_date"]) for p in document["participants"]] == \
        [(participant["id"], "Léa", "2015-04-23")]
    assert [o["order_id"] for o in document["client_orders"]] == [str(order_id)]
    assert [d["reference"] for d in document["client_billing_documents"]] == ["F2027-00001"]
    assert [e["action"] for e in document["client_history"]] == ["created", "created"]
    assert document["account"] == {**document["account"], "invoiced": "850.00", "paid": "850.00", "balance": "0.00",
                                   "orders": 1, "spent": "850.00"}
    assert document["held_by_other_services"] == elsewhere

    own = await clients.get(f"/clients/{client['id']}/export", headers=auth("client", client_id=client["id"]))
    assert own.status_code == 200 and own.json()["client"]["id"] == client["id"]
    other = await clients.get(f"/clients/{client['id']}/export", headers=auth("client", client_id=str(uuid.uuid4())))
    assert other.status_code == 404, "another family is not told that this client exists"
    assert (await clients.get(f"/clients/{client['id']}/export", headers=auth("accountant"))).status_code == 403
    assert (await clients.get(f"/clients/{uuid.uuid4()}/export")).status_code == 404


async def test_the_export_gives_health_data_decrypted_only_with_the_permission(clients, samples):
    client = await samples.make_client(clients)
    participant = (await clients.post(f"/clients/{client['id']}/participants",
                                      json={"last_name": "Martin", "first_name": "Léa"})).json()
    health = {"allergies": "Arachides", "treatments": None, "diet": "Sans porc", "medical_notes": None}
    written = await clients.put(f"/clients/{client['id']}/participants/{participant['id']}/health", json=health,
                                headers=HEALTH_STAFF)
    assert written.status_code == 200, written.text

    plain = (await clients.get(f"/clients/{client['id']}/export")).json()
    assert "health_data" not in plain["participants"][0]
    full = (await clients.get(f"/clients/{client['id']}/export", headers=HEALTH_STAFF)).json()
    assert full["participants"][0]["health_data"] == health


async def test_erasure_waits_for_a_zero_balance_then_anonymises_for_good(clients, samples, bus: BusSpy, applied):
    admin = auth("admin", sub="dpo")
    client, participant, order_id = await client_with_an_invoiced_order(clients, samples, bus, applied, "300.00")
    await clients.patch(f"/clients/{client['id']}", json={"mobile": "06 12 34 56 78", "info": "Préfère le matin"})
    guardian = await clients.post(f"/clients/{client['id']}/legal-guardians", json={
        "last_name": "Martin", "first_name": "Paul", "email": "paul.martin@example.org"})
    contact = await clients.post(f"/clients/{client['id']}/contacts", json={
        "last_name": "Bernard", "first_name": "Ana", "email": "ana@ce-exemple.fr"})
    assert (guardian.status_code, contact.status_code) == (201, 201)
    linked = await clients.patch(f"/clients/{client['id']}/participants/{participant['id']}",
                                 json={"legal_guardian_ids": [guardian.json()["id"]]})
    assert linked.status_code == 200, linked.text
    health = await clients.put(f"/clients/{client['id']}/participants/{participant['id']}/health",
                               json={"allergies": "Arachides"}, headers=HEALTH_STAFF)
    assert health.status_code == 200, health.text

    refused = await clients.post(f"/clients/{client['id']}/anonymisation", headers=admin)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "balance_not_zero"
    assert "owes 550.00 €" in refused.json()["detail"]
    [waiting] = (await clients.get("/erasure-requests")).json()["items"]
    assert (waiting["client_id"], waiting["display_name"], waiting["balance"], waiting["requested_by"]) == \
        (client["id"], "Mme MARTIN Claire", "550.00", "dpo")
    assert (await clients.get(f"/clients/{client['id']}")).json()["email"] == "claire.martin@example.org"

    await applied(await bus.publish(samples.payment_event(client["id"], order_id, "550.00", "850.00"), order_id, 4))
    assert (await clients.post(f"/clients/{client['id']}/anonymisation")).status_code == 403
    done = await clients.post(f"/clients/{client['id']}/anonymisation", headers=admin)
    assert done.status_code == 200, done.text
    erased = done.json()
    assert (erased["last_name"], erased["first_name"], erased["email"], erased["mobile"], erased["city"]) == \
        ("Anonyme", None, None, None, None)
    assert erased["display_name"] == "ANONYME"
    [anonymous] = erased["participants"]
    assert (anonymous["id"], anonymous["first_name"], anonymous["birth_date"]) == (participant["id"], "Anonyme", None)
    assert anonymous["legal_guardian_ids"] == []
    assert erased["info"] is None
    for people in ("legal-guardians", "contacts"):
        assert (await clients.get(f"/clients/{client['id']}/{people}")).json()["items"] == []
    erased_health = await clients.get(f"/clients/{client['id']}/participants/{participant['id']}/health",
                                      headers=HEALTH_STAFF)
    assert erased_health.json() == {"allergies": None, "treatments": None, "diet": None, "medical_notes": None}

    assert (await clients.get("/clients", params={"q": "martin"})).json()["items"] == []
    assert (await clients.get("/clients", params={"q": "0612"})).json()["items"] == []
    assert (await clients.get("/erasure-requests")).json()["items"] == []
    history = (await clients.get(f"/clients/{client['id']}/history")).json()["items"]
    erasure = [(e["entity"], e["action"], e["actor"]) for e in history if e["actor"] == "dpo"]
    assert sorted(erasure) == [("clients", "anonymised", "dpo"), ("participants", "updated", "dpo")]
    assert "claire" not in str(history).lower() and "0612" not in str(history).replace(" ", "")
    announced = await bus.wait_for(events.ClientAnonymised, client_id=client["id"])
    assert (announced.data["last_name"], announced.data["email"]) == ("Anonyme", None)
    assert announced.data["participants"][0]["first_name"] == "Anonyme"
    assert (announced.data["legal_guardians"], announced.data["contacts"]) == ([], [])
    assert (await clients.get(f"/clients/{client['id']}/account")).json()["invoiced"] == "850.00"

    again = await clients.post(f"/clients/{client['id']}/anonymisation", headers=admin)
    assert again.status_code == 409 and again.json()["code"] == "client_anonymised"


async def test_the_export_reads_every_page_of_the_other_services_and_is_refused_when_one_is_down():
    client_id = uuid.uuid4()

    def orders(request: httpx.Request) -> httpx.Response:
        assert request.url.params["client_id"] == str(client_id)
        if request.url.path == "/quotes":
            return httpx.Response(200, json={"items": [], "next_cursor": None})
        if request.url.params.get("cursor") == "page-2":
            return httpx.Response(200, json={"items": [{"reference": "C000002"}], "next_cursor": None})
        return httpx.Response(200, json={"items": [{"reference": "C000001"}], "next_cursor": "page-2"})

    def empty(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"items": [], "next_cursor": None})

    def down(_: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="Bad gateway")

    def services(billing) -> HttpHoldings:
        return HttpHoldings({name: httpx.AsyncClient(base_url="http://test", transport=httpx.MockTransport(handler))
                             for name, handler in (("orders", orders), ("billing", billing), ("notifications", empty))})

    held = await services(empty).held_about(client_id)
    assert held == {"orders": [{"reference": "C000001"}, {"reference": "C000002"}], "quotes": [], "invoices": [],
                    "credit_notes": [], "emails": []}
    with pytest.raises(Problem) as refused:
        await services(down).held_about(client_id)
    assert refused.value.status == 503 and "billing" in refused.value.detail
