"""Billing's side of a cancellation: the credit note of the current invoice and the cancellation invoice for
the client's fees, numbered in the invoices' series."""
import uuid
from decimal import Decimal

from shared import events
from shared.testing import BusSpy

from .test_billing_api import YEAR, handled, wait_handled


def cancelled(request: events.InvoicingRequested | None, by: str = "client", fees: str = "0.00",
              received: str = "0.00", refund: str = "0.00") -> events.OrderCancelled:
    order_id = request.order_id if request else uuid.uuid4()
    buyer = request.buyer if request else events.Buyer(client_id=uuid.uuid4(), name="M. Paul Durand", city="Lyon")
    return events.OrderCancelled(
        order_id=order_id, reference="C2026-00042", client_id=buyer.client_id, departure_id=uuid.uuid4(),
        status="cancelled", places=2, participant_ids=[], total=Decimal("1891.00"), amount_paid=Decimal(received),
        invoiced=request is not None, cancelled_by=by, cancellation_reason="Fracture", days_before_departure=20,
        fee_percent=Decimal("25.00"), cancellation_fees=Decimal(fees), amount_received=Decimal(received),
        refund_due=Decimal(refund), buyer=buyer,
    )


async def test_a_client_cancellation_credits_the_invoice_and_invoices_the_fees(billing, bus: BusSpy, invoicing,
                                                                               pdf_objects):
    request = invoicing()
    await bus.publish(request, request.order_id, 1)
    first = await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)
    await bus.publish(cancelled(request, fees="472.75", received="500.00", refund="27.25"), request.order_id, 2)
    credited = await bus.wait_for(events.CreditNoteIssued, order_id=request.order_id)
    assert credited.data["invoice_id"] == first.data["invoice_id"] and credited.data["total"] == "1891.00"
    fees = await bus.wait_for(events.InvoiceIssued, order_id=request.order_id, kind="cancellation")
    assert fees.aggregate_version == 3 and fees.data["number"] == 2 and fees.data["reference"] == f"F{YEAR}-00002"
    assert fees.data["invoiced"] is False and fees.data["current_invoice_id"] is None

    invoice = (await billing.get(f"/invoices/{fees.data['invoice_id']}")).json()
    assert invoice["kind"] == "cancellation" and invoice["total"] == "472.75" and invoice["amount_paid"] == "472.75"
    assert invoice["lines"] == [{"label": "Frais d'annulation de la commande C2026-00042 (25.00 % du prix, à 20 "
                                          "jour(s) du départ)", "quantity": 1, "unit_price": "472.75",
                                 "amount": "472.75", "vat_rate": None}], "no rate under the margin scheme"
    assert invoice["buyer"]["name"] == "Mme Camille Martin"
    await bus.wait_for(events.DocumentRendered, document_id=fees.data["invoice_id"])
    pdf = (await billing.get(f"/invoices/{fees.data['invoice_id']}/pdf")).content
    assert f"Facture d'annulation {fees.data['reference']}".encode() in pdf_objects(pdf)


async def test_an_order_never_invoiced_gets_only_the_cancellation_invoice(billing, bus: BusSpy):
    event = cancelled(None, fees="100.00", received="40.00")
    await bus.publish(event, event.order_id, 1)
    fees = await bus.wait_for(events.InvoiceIssued, order_id=event.order_id)
    assert fees.data["kind"] == "cancellation" and fees.data["total"] == "100.00"
    invoice = (await billing.get(f"/invoices/{fees.data['invoice_id']}")).json()
    assert invoice["amount_paid"] == "40.00" and invoice["buyer"]["name"] == "M. Paul Durand"
    assert (await billing.get("/credit-notes", params={"order_id": str(event.order_id)})).json()["items"] == []


async def test_an_organiser_cancellation_is_a_full_credit_note_and_no_invoice(billing, bus: BusSpy, invoicing):
    request = invoicing()
    await bus.publish(request, request.order_id, 1)
    await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)
    before = handled(events.OrderCancelled)
    await bus.publish(cancelled(request, by="organiser", received="500.00", refund="500.00"), request.order_id, 2)
    await wait_handled(events.OrderCancelled, before + 1)
    notes = (await billing.get("/credit-notes", params={"order_id": str(request.order_id)})).json()["items"]
    assert [n["total"] for n in notes] == ["1891.00"]
    invoices = (await billing.get("/invoices", params={"order_id": str(request.order_id)})).json()["items"]
    assert [i["kind"] for i in invoices] == ["order"]
