"""The front office through the services running as separate processes: a family books online with its own token,
sees its option, deadline and deposit, and gives the option up; a client type without online ordering is sent to
customer service; a reseller books for its customer, whose place stock takes only on validation, and reads what it
owes."""
from datetime import date

import httpx
import pytest

from shared.testing import SUPERVISION_CODE, auth, eventually

from .test_story import until
from .test_story_payments import departure_of

pytestmark = pytest.mark.e2e


def as_account(platform, service: str, role: str, client_id: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=platform.processes[service].url, timeout=30,
                             headers=auth(role, sub=f"{role}-{client_id}", client_id=client_id))


async def participant(clients, client_id: str, first_name: str) -> str:
    child = await clients.post(f"/clients/{client_id}/participants", json={
        "last_name": "Garnier", "first_name": first_name, "birth_date": "2015-09-14"})
    assert child.status_code == 201, child.text
    return child.json()["id"]


async def test_a_prospect_family_books_online_sees_its_option_and_deposit_then_gives_it_up(platform):
    clients, stock, orders = platform.client("clients"), platform.client("stock"), platform.client("orders")
    _, departure = await departure_of(stock, "Cirque à Die", date(2027, 8, 9), "640.00")
    prospect = await clients.post("/clients", json={
        "kind": "prospect", "civility": "M.", "last_name": "Garnier", "first_name": "Hugo",
        "email": "hugo.garnier@example.fr"})
    assert prospect.status_code == 201, prospect.text
    family_id = prospect.json()["id"]
    child = await participant(clients, family_id, "Inès")
    family = as_account(platform, "orders", "client", family_id)

    placed = await family.post("/orders", json={"departure_id": departure, "participant_ids": [child]})
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]
    assert placed.json()["client_id"] == family_id and "client_disputed" not in placed.json()
    order = await until(family, f"/orders/{order_id}", lambda o: o["status"] == "option")
    assert order["option_expires_at"] and order["deposit"]["due_by"] == order["option_expires_at"]
    assert order["deposit"]["amount"] == (await orders.get(f"/orders/{order_id}")).json()["deposit"]["amount"]
    assert (await stock.get(f"/departures/{departure}")).json()["stock"]["held"] == 1
    converted = await until(clients, f"/clients/{family_id}", lambda c: c["kind"] == "private")
    assert converted["display_name"].endswith("Hugo")  # the prospect became a client with its first order

    given_up = await family.post(f"/orders/{order_id}/archive")
    assert given_up.status_code == 200 and given_up.json()["status"] == "archived", given_up.text
    places = await until(stock, f"/departures/{departure}", lambda d: d["stock"]["held"] == 0)
    assert places["stock"]["free"] == 30
    workflow = [line["detail"] for line in (await orders.get(f"/orders/{order_id}/workflow")).json()["items"]]
    assert "Option annulée en ligne par le client M. GARNIER Hugo : places libérées." in workflow

    closed = await clients.post("/client-types", json={"name": "Comité sans réservation en ligne", "kind": "private",
                                                       "front_office_ordering_allowed": False})
    assert closed.status_code == 201, closed.text
    typed = await clients.patch(f"/clients/{family_id}", json={"client_type_id": closed.json()["id"]})
    assert typed.status_code == 200, typed.text
    refused = await family.post("/orders", json={"departure_id": departure, "participant_ids": [child]})
    assert refused.status_code == 403 and "contactez notre service client" in refused.json()["detail"]
    await family.aclose()


async def test_a_reseller_books_for_its_customer_whose_place_is_taken_on_validation(platform):
    clients, stock, orders = platform.client("clients"), platform.client("stock"), platform.client("orders")
    _, departure = await departure_of(stock, "Spéléologie dans le Vercors", date(2027, 8, 16), "700.00")
    agency = await clients.post("/clients", json={
        "kind": "professional", "company_name": "CE Rhodia", "last_name": "Roche", "first_name": "Marc",
        "email": "ce@rhodia.example.fr", "address_lines": ["1 rue Chimie"], "postal_code": "69190",
        "city": "Saint-Fons", "markup": "10"})
    assert agency.status_code == 201, agency.text
    reseller_id = agency.json()["id"]

    async def assign():
        """Stock learns of the client from clients' event: until then, it is unknown to it (404)."""
        response = await stock.post(f"/resellers/{reseller_id}/assignments", json={"departure_ids": [departure]})
        return response if response.status_code != 404 else None

    assert (await eventually(assign)).status_code == 200
    customer = await clients.post("/clients", json={
        "kind": "private", "civility": "Mme", "last_name": "Garnier", "first_name": "Lucie",
        "email": "lucie.garnier@example.fr", "address_lines": ["5 rue Hoche"], "postal_code": "69190",
        "city": "Saint-Fons"})
    customer_id = customer.json()["id"]
    child = await participant(clients, customer_id, "Malo")
    linked = await clients.post(f"/clients/{customer_id}/links", json={
        "linked_client_id": reseller_id, "adjustment": "markup", "rate": "10.00", "supervision_code": SUPERVISION_CODE})
    assert linked.status_code == 201, linked.text
    reseller = as_account(platform, "orders", "reseller", reseller_id)

    placed = await reseller.post("/orders", json={"client_id": customer_id, "departure_id": departure,
                                                  "participant_ids": [child]})
    assert placed.status_code == 201, placed.text
    assert placed.json()["total"] == "770.00" and placed.json()["reseller_id"] == reseller_id  # 700 € + 10 %
    order_id = placed.json()["id"]
    await until(reseller, f"/orders/{order_id}", lambda o: o["status"] == "option")
    assert (await stock.get(f"/departures/{departure}")).json()["stock"]["held"] == 0  # the option takes no place
    owed = (await reseller.get(f"/reseller-accounts/{reseller_id}")).json()
    assert owed["owed"] == "770.00" and [s["reference"] for s in owed["items"]] == [placed.json()["reference"]]

    paid = await orders.post(f"/orders/{order_id}/payments", json={"amount": "200.00", "method": "transfer"})
    assert paid.status_code == 201, paid.text
    await until(stock, f"/departures/{departure}", lambda d: d["stock"]["confirmed"] == 1)
    assert (await reseller.get(f"/reseller-accounts/{reseller_id}")).json()["owed"] == "570.00"
    await reseller.aclose()
