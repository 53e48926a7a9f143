"""Linked clients: a markup or discount between two clients, granted with the supervision code."""
import uuid

import pytest

from clients.app import ClientsSettings, create
from shared.testing import Infra, running, service_settings, truncate_all

CODE = "superviseur-2027"


@pytest.fixture
async def supervised(infra: Infra, clients_db: str):
    await truncate_all(clients_db)
    settings = service_settings(ClientsSettings, infra, "clients", clients_db, supervision_code=CODE)
    async with running(create(settings)) as client:
        yield client


async def two_clients(api):
    mairie = (await api.post("/clients", json={"kind": "professional", "company_name": "Mairie de Lyon"})).json()
    foyer = (await api.post("/clients", json={"kind": "professional", "company_name": "Foyer"})).json()
    return mairie, foyer


async def test_a_link_needs_the_supervision_code(supervised):
    mairie, foyer = await two_clients(supervised)
    url = f"/clients/{mairie['id']}/links"
    body = {"linked_client_id": foyer["id"], "adjustment": "discount", "rate": "7.5"}
    wrong = await supervised.post(url, json={**body, "supervision_code": "guess"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "supervision_code_invalid"
    linked = await supervised.post(url, json={**body, "supervision_code": CODE})
    assert linked.status_code == 201, linked.text
    assert (linked.json()["rate"], linked.json()["adjustment"]) == ("7.50", "discount")
    again = await supervised.post(url, json={**body, "supervision_code": CODE})
    assert again.status_code == 409 and again.json()["code"] == "clients_already_linked"
    itself = await supervised.post(url, json={**body, "linked_client_id": mairie["id"], "supervision_code": CODE})
    assert itself.status_code == 422 and itself.json()["errors"][0]["field"] == "body.linked_client_id"
    unknown = await supervised.post(url, json={**body, "linked_client_id": str(uuid.uuid4()),
                                               "supervision_code": CODE})
    assert unknown.status_code == 422

    listed = (await supervised.get(url)).json()
    assert [link["linked_client_id"] for link in listed["items"]] == [foyer["id"]]
    assert (await supervised.delete(f"{url}/{linked.json()['id']}")).status_code == 204
    assert (await supervised.get(url)).json()["items"] == []


async def test_without_a_configured_code_linking_is_disabled(clients):
    mairie, foyer = await two_clients(clients)
    refused = await clients.post(f"/clients/{mairie['id']}/links", json={
        "linked_client_id": foyer["id"], "adjustment": "markup", "rate": "5", "supervision_code": "anything"})
    assert refused.status_code == 409 and refused.json()["code"] == "supervision_not_configured"
