"""Service invoices for a client without an order, and partial credit notes naming their invoice, through billing's
API on real PostgreSQL and RabbitMQ; the PDF's text carries the mentions."""
import io
import uuid
from datetime import UTC, datetime

import facturx
from lxml import etree
from pypdf import PdfReader

from billing.app import DEMO_ISSUER
from shared import events
from shared.testing import BusSpy, auth

ADMIN = auth("admin")
YEAR = datetime.now(UTC).year
GERMAN = {"client_id": str(uuid.uuid4()), "name": "Betriebsrat Alpha GmbH", "address_lines": ["Hauptstraße 1"],
          "postal_code": "10115", "city": "Berlin", "country": "DE", "vat_number": "DE136695976",
          "intra_eu_professional": True}
STANDARD = {**DEMO_ISSUER.model_dump(mode="json"), "vat_regime": "standard", "operator_registration": "",
            "guarantor": "", "insurer": "", "is_master": True}


async def standard_master(billing) -> dict:
    created = await billing.post("/issuers", json=STANDARD, headers=ADMIN)
    assert created.status_code == 201, created.text
    return created.json()


def text_of(pdf: bytes) -> str:
    """The PDF's text as a reader sees it, one space between words whatever the layout's line breaks."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.replace("\u202f", " ").split())


async def test_a_service_invoice_of_configured_services_and_free_lines_for_a_client_without_an_order(
        billing, bus: BusSpy):
    await standard_master(billing)
    fee = await billing.post("/billable-services", json={"label": "Adhésion familiale", "unit_price": "20.00",
                                                         "vat_rate": "0.00"}, headers=ADMIN)
    assert fee.status_code == 201
    family = str(uuid.uuid4())
    body = {"buyer": {"client_id": family, "name": "M. Paul Durand", "address_lines": ["5 rue du Lac"],
                      "postal_code": "74000", "city": "Annecy"},
            "lines": [{"service_id": fee.json()["id"], "quantity": 1},
                      {"label": "Transport Annecy – Lyon", "unit_price": "42.00", "quantity": 2}]}
    issued = await billing.post("/invoices", json=body, headers={"Idempotency-Key": "svc-1"})
    assert issued.status_code == 201, issued.text
    invoice = issued.json()
    assert invoice["kind"] == "service" and invoice["order_id"] is None and invoice["order_reference"] is None
    assert invoice["reference"] == f"F{YEAR}-00001" and invoice["total"] == "104.00"
    assert [(line["label"], line["vat_rate"]) for line in invoice["lines"]] == [
        ("Adhésion familiale", "0.00"), ("Transport Annecy – Lyon", "20.00")]
    assert invoice["vat"]["total_excl_tax"] == "90.00" and invoice["vat"]["total_vat"] == "14.00"
    again = await billing.post("/invoices", json=body, headers={"Idempotency-Key": "svc-1"})
    assert again.json()["id"] == invoice["id"] and again.headers["Idempotent-Replayed"] == "true"

    announced = await bus.wait_for(events.ClientDocumentIssued, document_id=invoice["id"])
    assert announced.data["kind"] == "invoice" and announced.data["client_id"] == family
    assert announced.data["order_id"] is None and announced.data["total"] == "104.00"
    await bus.wait_for(events.DocumentRendered, document_id=invoice["id"])
    text = text_of((await billing.get(f"/invoices/{invoice['id']}/pdf")).content)
    for printed in ("FACTURE", f"F{YEAR}-00001", "M. Paul Durand", "Adhésion familiale", "Total HT", "90,00",
                    "TVA 20 % sur 70,00", "14,00", "Total TTC", "104,00", "SIRET 900 000 001 00017",
                    "IBAN FR76 3000 6000 0112 3456 7890 189", "40 €"):
        assert printed in text, printed
    assert "Commande" not in text

    listed = (await billing.get("/invoices", params={"client_id": family})).json()["items"]
    assert [i["id"] for i in listed] == [invoice["id"]]
    assert (await billing.get("/invoices", params={"client_id": family},
                              headers=auth("client", client_id=family))).json()["items"][0]["id"] == invoice["id"]


async def test_an_intra_eu_professional_is_invoiced_excluding_tax_with_reverse_charge_on_its_pdf(billing, bus):
    await standard_master(billing)
    invoice = (await billing.post("/invoices", json={"buyer": GERMAN, "lines": [
        {"label": "Séjour linguistique, groupe de 12", "unit_price": "7200.00"}]})).json()
    assert invoice["vat"]["treatment"] == "reverse_charge" and invoice["total"] == "6000.00"
    assert invoice["vat"]["total_vat"] == "0.00"
    await bus.wait_for(events.DocumentRendered, document_id=invoice["id"])
    pdf = (await billing.get(f"/invoices/{invoice['id']}/pdf")).content
    text = text_of(pdf)
    for printed in ("Betriebsrat Alpha GmbH", "DE136695976", "Autoliquidation", "article 283-2 du CGI",
                    "Total à payer", "6 000,00"):
        assert printed in text, printed
    name, xml = facturx.get_xml_from_pdf(pdf, check_xsd=True)
    assert name == "factur-x.xml" and facturx.get_level(etree.fromstring(xml)) == "en16931"
    assert b"<ram:GrandTotalAmount>6000.00</ram:GrandTotalAmount>" in xml and b"DE136695976" in xml


async def test_bad_service_invoices_are_422_naming_the_field_and_unknown_services_404(billing):
    async def status(body: dict) -> tuple[int, str]:
        response = await billing.post("/invoices", json=body)
        return response.status_code, response.text

    buyer = {"client_id": str(uuid.uuid4()), "name": "X"}
    assert (await status({"buyer": buyer, "lines": []}))[0] == 422
    code, text = await status({"buyer": buyer, "lines": [{"label": "Libre"}]})
    assert code == 422 and "unit_price" in text
    code, text = await status({"buyer": {**buyer, "siren": "552 100 555"}, "lines": [{"label": "a", "unit_price": 1}]})
    assert code == 422 and "siren" in text
    code, text = await status({"buyer": {**GERMAN, "vat_number": None}, "lines": [{"label": "a", "unit_price": 1}]})
    assert code == 422 and "vat_number" in text
    code, _ = await status({"buyer": buyer, "lines": [{"label": "a", "unit_price": "1.001"}]})
    assert code == 422
    code, _ = await status({"buyer": buyer, "lines": [{"service_id": str(uuid.uuid4())}]})
    assert code == 404
    assert (await billing.post("/invoices", json={"buyer": buyer, "lines": [{"label": "a", "unit_price": 1}]},
                               headers=auth("client", client_id=buyer["client_id"]))).status_code == 403
    assert (await billing.get("/invoices")).json()["items"] == [], "nothing issued, no number taken"


async def test_partial_credit_notes_by_lines_or_amount_name_their_invoice_and_never_exceed_it(billing, bus):
    await standard_master(billing)
    invoice = (await billing.post("/invoices", json={"buyer": {"client_id": str(uuid.uuid4()), "name": "CE Beta"},
                                                     "lines": [
        {"label": "Séjour", "unit_price": "500.00", "quantity": 3, "vat_rate": "10.00"},
        {"label": "Transport", "unit_price": "60.00", "quantity": 3}]})).json()
    assert invoice["total"] == "1680.00"
    url = f"/invoices/{invoice['id']}/credit-notes"

    by_lines = await billing.post(url, json={"reason": "Un participant en moins", "lines": [
        {"index": 0, "quantity": 1}, {"index": 1, "quantity": 1}]})
    assert by_lines.status_code == 201, by_lines.text
    note = by_lines.json()
    assert note["reference"] == f"A{YEAR}-00001" and note["invoice_reference"] == invoice["reference"]
    assert note["total"] == "560.00" and [line["amount"] for line in note["lines"]] == ["500.00", "60.00"]
    assert [(r["rate"], r["vat"]) for r in note["vat"]["rates"]] == [("10.00", "45.45"), ("20.00", "10.00")]

    refused = await billing.post(url, json={"reason": "x", "amount": "50.00"})
    assert refused.status_code == 409 and refused.json()["code"] == "vat_rate_needed"
    by_amount = await billing.post(url, json={"reason": "Geste commercial", "amount": "50.00", "vat_rate": "10.00"})
    assert by_amount.status_code == 201 and by_amount.json()["total"] == "50.00"
    assert by_amount.json()["lines"][0]["label"] == f"Avoir partiel sur la facture {invoice['reference']}"
    too_much = await billing.post(url, json={"reason": "x", "amount": "1070.01", "vat_rate": "20.00"})
    assert too_much.status_code == 409 and too_much.json()["code"] == "credit_exceeds_invoice"
    assert (await billing.post(url, json={"reason": "x", "lines": [{"index": 0, "quantity": 4}]})).json()[
        "code"] == "quantity_exceeds_line"
    assert (await billing.post(url, json={"reason": "x", "lines": [{"index": 5, "quantity": 1}]})).json()[
        "code"] == "no_such_line"
    assert (await billing.post(url, json={"reason": "x"})).status_code == 422
    assert (await billing.post(f"/invoices/{uuid.uuid4()}/credit-notes", json={"reason": "x", "amount": "1"})
            ).status_code == 404

    await bus.wait_for(events.ClientDocumentIssued, document_id=note["id"])
    await bus.wait_for(events.DocumentRendered, document_id=note["id"])
    text = text_of((await billing.get(f"/credit-notes/{note['id']}/pdf")).content)
    for printed in ("AVOIR", f"Avoir sur la facture {invoice['reference']}", "Un participant en moins", "560,00"):
        assert printed in text, printed
    credited = (await billing.get("/credit-notes", params={"client_id": invoice["client_id"]})).json()["items"]
    assert [c["total"] for c in credited] == ["560.00", "50.00"]


async def test_un_invoicing_after_a_partial_credit_credits_only_what_is_left(billing, bus: BusSpy, invoicing):
    request = invoicing()
    await bus.publish(request, request.order_id, 1)
    issued = await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)
    partial = await billing.post(f"/invoices/{issued.data['invoice_id']}/credit-notes",
                                 json={"reason": "Transport annulé", "lines": [{"index": 1, "quantity": 2}]})
    assert partial.status_code == 201 and partial.json()["total"] == "191.00"
    await bus.publish(events.UninvoicingRequested(order_id=request.order_id, client_id=request.buyer.client_id,
                                                  reason="Annulation"), request.order_id, 2)
    rest = await bus.wait_for(events.CreditNoteIssued, order_id=request.order_id)
    assert rest.data["total"] == "1700.00" and rest.data["invoiced"] is False
    note = (await billing.get(f"/credit-notes/{rest.data['credit_note_id']}")).json()
    assert [line["label"] for line in note["lines"]] == [f"Solde de la facture {issued.data['reference']}"]
