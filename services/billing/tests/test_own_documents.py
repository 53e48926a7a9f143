"""A family's (or a reseller's) own invoices and credit notes, read and downloaded with its front-office token; another
client's documents are not found."""
import re
import uuid
from dataclasses import dataclass

import pytest

from billing.app import BillingSettings, create
from shared import events
from shared.testing import BusSpy, auth, front_office_operations


@dataclass
class Client:
    id: str
    invoice_id: str
    credit_note_id: str
    headers: dict


async def invoiced_then_credited(bus: BusSpy, invoicing, role: str = "client") -> Client:
    """A client with an invoice, a credit note cancelling it, and the invoice issued again."""
    request = invoicing()
    client_id, order_id = request.buyer.client_id, request.order_id
    await bus.publish(request, order_id, 1)
    first = await bus.wait_for(events.InvoiceIssued, order_id=order_id)
    await bus.publish(events.UninvoicingRequested(order_id=order_id, client_id=client_id, reason="Erreur d'adresse"),
                      order_id, 2)
    credited = await bus.wait_for(events.CreditNoteIssued, order_id=order_id)
    await bus.publish(invoicing(order_id=order_id, client_id=client_id), order_id, 3)
    await bus.wait_for(events.InvoiceIssued, order_id=order_id, number=first.data["number"] + 1)
    return Client(str(client_id), first.data["invoice_id"], credited.data["credit_note_id"],
                  auth(role, client_id=str(client_id)))


async def test_a_family_lists_and_downloads_its_own_invoices_and_credit_notes(billing, bus: BusSpy, invoicing):
    martin = await invoiced_then_credited(bus, invoicing)
    await invoiced_then_credited(bus, invoicing)

    invoices = (await billing.get("/invoices", headers=martin.headers)).json()["items"]
    assert {i["client_id"] for i in invoices} == {martin.id} and len(invoices) == 2
    notes = (await billing.get("/credit-notes", headers=martin.headers)).json()["items"]
    assert [n["id"] for n in notes] == [martin.credit_note_id]
    assert len((await billing.get("/invoices", headers=martin.headers, params={"client_id": martin.id})).json()[
        "items"]) == 2

    invoice = await billing.get(f"/invoices/{martin.invoice_id}", headers=martin.headers)
    assert (invoice.status_code, invoice.json()["buyer"]["name"]) == (200, "Mme Camille Martin")
    for path in (f"/invoices/{martin.invoice_id}/pdf", f"/credit-notes/{martin.credit_note_id}/pdf"):
        pdf = await billing.get(path, headers=martin.headers)
        assert (pdf.status_code, pdf.headers["content-type"], pdf.content[:5]) == (200, "application/pdf", b"%PDF-")
    assert (await billing.get(f"/credit-notes/{martin.credit_note_id}", headers=martin.headers)).json()[
        "invoice_id"] == martin.invoice_id


async def test_a_reseller_reads_its_own_documents_and_a_legal_guardian_none(billing, bus: BusSpy, invoicing):
    town = await invoiced_then_credited(bus, invoicing, role="reseller")
    assert len((await billing.get("/invoices", headers=town.headers)).json()["items"]) == 2
    assert (await billing.get(f"/credit-notes/{town.credit_note_id}/pdf", headers=town.headers)).status_code == 200
    guardian = auth("legal_guardian", client_id=town.id, guardian_id=str(uuid.uuid4()))
    assert (await billing.get("/invoices", headers=guardian)).status_code == 403


ROUTES = ["/invoices?client_id={client}", "/invoices/{invoice}", "/invoices/{invoice}/pdf",
          "/credit-notes?client_id={client}", "/credit-notes/{credit_note}", "/credit-notes/{credit_note}/pdf",
          "/account-statements/{client}", "/account-statements/{client}/pdf", "/account-statements/{client}/reminders"]


@pytest.mark.parametrize("route", ROUTES)
async def test_one_clients_token_finds_nothing_of_another_clients_documents(billing, bus: BusSpy, invoicing, route):
    martin, dupont = await invoiced_then_credited(bus, invoicing), str(uuid.uuid4())
    path = route.format(client=martin.id, invoice=martin.invoice_id, credit_note=martin.credit_note_id)
    for stranger in (auth("client", client_id=dupont), auth("reseller", client_id=dupont)):
        answer = await billing.get(path, headers=stranger)
        assert (answer.status_code, answer.json()["code"]) == (404, "not_found"), answer.text
        missing = path.replace(martin.id, str(uuid.uuid4())).replace(martin.invoice_id, str(uuid.uuid4())) \
            .replace(martin.credit_note_id, str(uuid.uuid4()))
        assert answer.json()["detail"].split(" with id ")[0] == \
            (await billing.get(missing, headers=stranger)).json()["detail"].split(" with id ")[0], \
            "the same answer as for an id that does not exist"
    assert (await billing.get(path)).status_code == 200, "staff read it"


async def test_a_family_sees_none_of_anothers_documents_in_its_lists(billing, bus: BusSpy, invoicing):
    martin, dupont = await invoiced_then_credited(bus, invoicing), await invoiced_then_credited(bus, invoicing)
    by_order = (await billing.get("/invoices", headers=dupont.headers,
                                  params={"order_id": (await billing.get(f"/invoices/{martin.invoice_id}")).json()[
                                      "order_id"]})).json()
    assert by_order == {"items": [], "next_cursor": None}
    assert {n["client_id"] for n in (await billing.get("/credit-notes", headers=dupont.headers)).json()["items"]} == \
        {dupont.id}


def test_every_front_office_route_of_billing_has_its_ownership_test():
    """A new route that takes families' tokens must join ROUTES."""
    app = create(BillingSettings(environment="development", jwks='{"keys": []}'))
    tested = {("GET", re.sub(r"\?.*", "", route).replace("{invoice}", "{invoice_id}")
               .replace("{credit_note}", "{credit_note_id}").replace("{client}", "{client_id}")) for route in ROUTES}
    assert front_office_operations(app) == tested
