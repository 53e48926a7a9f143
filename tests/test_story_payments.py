"""Payments and cancellation across the five services: a group order funded by a third-party payer, and a
client's cancellation with fees invoiced by billing."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .test_story import until

pytestmark = pytest.mark.e2e


def platform_today(platform):
    return (datetime.now(UTC) + platform.offset).astimezone(ZoneInfo("Europe/Paris")).date()


async def departure_of(stock, title, start, price, **stay):
    created = await stock.post("/stays", json={"title": title, **stay})
    assert created.status_code == 201, created.text
    departure = await stock.post(f"/stays/{created.json()['id']}/departures", json={
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=14)).isoformat(), "capacity": 30,
        "base_price": price})
    assert departure.status_code == 201, departure.text
    return created.json()["id"], departure.json()["id"]


async def optioned_order(orders, client_id, departure_id, participant_ids):
    placed = await orders.post("/orders", json={"client_id": client_id, "departure_id": departure_id,
                                                "participant_ids": participant_ids})
    assert placed.status_code == 201, placed.text
    await until(orders, f"/orders/{placed.json()['id']}", lambda o: o["status"] == "option")
    return placed.json()["id"]


async def test_a_group_order_funded_by_a_third_party_payer(platform):
    clients, stock, orders = platform.client("clients"), platform.client("stock"), platform.client("orders")
    billing = platform.client("billing")
    _, departure_id = await departure_of(stock, "Classe de mer à Arcachon", platform_today(platform)
                                         + timedelta(days=60), "600.00")
    works_council = await clients.post("/clients", json={
        "kind": "professional", "company_name": "CE Renault Lyon", "last_name": "Durand", "first_name": "Paul",
        "email": "ce.renault@example.fr", "address_lines": ["1 avenue de l'Industrie"], "postal_code": "69007",
        "city": "Lyon"})
    assert works_council.status_code == 201, works_council.text
    council_id = works_council.json()["id"]
    children = []
    for name in ("Léo", "Zoé", "Inès"):
        child = await clients.post(f"/clients/{council_id}/participants", json={
            "last_name": "Bernard", "first_name": name, "birth_date": "2015-09-01"})
        children.append(child.json()["id"])
    order_id = await optioned_order(orders, council_id, departure_id, children)

    caf = await orders.post("/third-party-payers", json={"name": "CAF du Rhône (e2e)"})
    commitment = await orders.post(f"/orders/{order_id}/payments", json={
        "amount": "900.00", "method": "third_party", "third_party_payer_id": caf.json()["id"],
        "label": "Prise en charge VACAF"})
    assert commitment.status_code == 201, commitment.text
    order = (await orders.get(f"/orders/{order_id}")).json()
    assert order["status"] == "validated" and order["balance"] == "900.00" and not order["settled"]
    transfer = await orders.post(f"/orders/{order_id}/payments", json={
        "amount": "900.00", "method": "transfer", "label": "CE Renault", "bank": "Crédit Mutuel"})
    assert transfer.status_code == 201, transfer.text

    settlement = (await orders.get(f"/orders/{order_id}/settlement")).json()
    assert (settlement["settled"], settlement["balance"], settlement["pending_collection"]) == (True, "0.00", "900.00")
    assert [s["share"] for s in settlement["shares"]] == ["600.00"] * 3

    collected = await orders.post(f"/orders/{order_id}/payments/{commitment.json()['id']}/collection",
                                  json={"outcome": "received"})
    assert collected.status_code == 200 and collected.json()["collection"] == "received"
    settlement = (await orders.get(f"/orders/{order_id}/settlement")).json()
    assert (settlement["settled"], settlement["pending_collection"], settlement["received"]) == (
        True, "0.00", "1800.00")

    assert (await orders.post(f"/orders/{order_id}/invoicing")).status_code == 202
    await until(orders, f"/orders/{order_id}", lambda o: o["invoiced"])
    (invoice,) = (await billing.get(f"/invoices?order_id={order_id}")).json()["items"]
    assert invoice["total"] == "1800.00" and invoice["amount_paid"] == "1800.00"
    assert invoice["buyer"]["name"] == "CE Renault Lyon"
    actions = [e["action"] for e in (await orders.get(f"/orders/{order_id}/workflow")).json()["items"]]
    assert {"validated", "payment", "settled", "commitment_received", "invoiced"} <= set(actions)


async def test_a_client_cancellation_with_fees_gets_a_credit_note_and_a_cancellation_invoice(platform):
    clients, stock, orders = platform.client("clients"), platform.client("stock"), platform.client("orders")
    billing = platform.client("billing")
    schedule = [{"days_before": 30, "percent": "25.00"}, {"days_before": 7, "percent": "50.00"}]
    stay_id, departure_id = await departure_of(stock, "Équitation dans le Vercors", platform_today(platform)
                                               + timedelta(days=20), "800.00", cancellation_fees=schedule)
    family = await clients.post("/clients", json={"kind": "private", "civility": "M.", "last_name": "Petit",
                                                  "first_name": "Hugo", "email": "hugo.petit@example.fr"})
    child = await clients.post(f"/clients/{family.json()['id']}/participants", json={
        "last_name": "Petit", "first_name": "Jade", "birth_date": "2014-02-11"})
    order_id = await optioned_order(orders, family.json()["id"], departure_id, [child.json()["id"]])
    await orders.post(f"/orders/{order_id}/payments", json={"amount": "500.00", "method": "cheque"})
    assert (await orders.post(f"/orders/{order_id}/invoicing")).status_code == 202
    await until(orders, f"/orders/{order_id}", lambda o: o["invoiced"])
    (invoice,) = (await billing.get(f"/invoices?order_id={order_id}")).json()["items"]

    cancelled = await orders.post(f"/orders/{order_id}/cancellation", json={"by": "client", "reason": "Déménagement"})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["cancellation"] == {"days_before_departure": 20, "fee_percent": "25.00",
                                                "fees": "200.00", "received": "500.00", "refund_due": "300.00",
                                                "still_due": "0.00"}
    notes = await until(billing, f"/credit-notes?order_id={order_id}", lambda b: len(b["items"]) == 1)
    assert notes["items"][0]["invoice_reference"] == invoice["reference"]
    invoices = await until(billing, f"/invoices?order_id={order_id}", lambda b: len(b["items"]) == 2)
    fees = next(i for i in invoices["items"] if i["kind"] == "cancellation")
    assert fees["total"] == "200.00" and fees["amount_paid"] == "200.00" and fees["number"] > invoice["number"]
    pdf = await billing.get(f"/invoices/{fees['id']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    await until(orders, f"/orders/{order_id}/workflow",
                lambda b: "cancellation_invoiced" in [e["action"] for e in b["items"]])
    order = (await orders.get(f"/orders/{order_id}")).json()
    assert (order["status"], order["cancellation_fees"], order["refund_due"], order["invoiced"]) == (
        "cancelled", "200.00", "300.00", False)
    await until(stock, f"/departures/{departure_id}", lambda d: d["stock"]["free"] == 30 and d["stock"]["confirmed"] == 0)
