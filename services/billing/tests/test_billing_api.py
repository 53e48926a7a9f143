"""The billing service through the bus and its API, on real PostgreSQL and RabbitMQ."""
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from billing.app import DEMO_ISSUER
from billing.domain.documents import Kind, series_for
from billing.tables import Invoice
from shared import events
from shared.testing import BusSpy, auth, eventually

DEMO_SELLER = DEMO_ISSUER.mentions(uuid.uuid4(), 1)
YEAR = series_for(Kind.INVOICE, datetime.now(UTC), DEMO_SELLER.time_zone)[1:]


def handled(event: type[events.Event], outcome: str = "ok") -> float:
    """How many deliveries of this event the in-process consumer has finished: to wait for a no-op."""
    labels = {"service": "billing", "event_type": event.TYPE, "outcome": outcome}
    return REGISTRY.get_sample_value("colo_events_handled_total", labels) or 0.0


async def wait_handled(event: type[events.Event], count: float, outcome: str = "ok") -> None:
    async def done() -> bool:
        return handled(event, outcome) >= count

    await eventually(done)


async def test_invoice_then_credit_note_naming_it_then_a_new_invoice(billing, bus: BusSpy, invoicing):
    request = invoicing()
    order_id = request.order_id
    await bus.publish(request, order_id, 1)
    issued = await bus.wait_for(events.InvoiceIssued, order_id=order_id)
    assert issued.aggregate_type == "order_billing" and issued.aggregate_id == str(order_id)
    assert issued.aggregate_version == 1
    assert issued.data["number"] == 1 and issued.data["reference"] == f"F{YEAR}-00001"
    assert issued.data["invoiced"] is True and issued.data["total"] == "1891.00"
    first_id = issued.data["invoice_id"]
    assert issued.data["current_invoice_id"] == first_id

    invoice = (await billing.get(f"/invoices/{first_id}")).json()
    assert invoice["series"] == f"F{YEAR}" and invoice["order_id"] == str(order_id)
    assert invoice["order_reference"] == "C2026-00042" and invoice["amount_paid"] == "500.00"
    assert invoice["buyer"]["name"] == "Mme Camille Martin"
    assert invoice["seller"]["name"] == "Colo Vacances" and invoice["seller"]["siret"]
    assert [line["amount"] for line in invoice["lines"]] == ["1700.00", "191.00"]

    await bus.publish(events.UninvoicingRequested(order_id=order_id, client_id=request.buyer.client_id,
                                                  reason="Ajout d'un participant"), order_id, 2)
    credited = await bus.wait_for(events.CreditNoteIssued, order_id=order_id)
    assert credited.aggregate_version == 2
    assert credited.data["reference"] == f"A{YEAR}-00001"
    assert credited.data["invoice_reference"] == f"F{YEAR}-00001" and credited.data["invoice_id"] == first_id
    assert credited.data["invoiced"] is False and credited.data["current_invoice_id"] is None
    assert credited.data["total"] == "1891.00"
    note = (await billing.get(f"/credit-notes/{credited.data['credit_note_id']}")).json()
    assert note["reason"] == "Ajout d'un participant" and note["invoice_reference"] == f"F{YEAR}-00001"
    assert note["lines"] == invoice["lines"] and note["buyer"] == invoice["buyer"]

    await bus.publish(invoicing(order_id=order_id, client_id=request.buyer.client_id), order_id, 3)
    second = await bus.wait_for(events.InvoiceIssued, order_id=order_id, number=2)
    assert second.aggregate_version == 3 and second.data["reference"] == f"F{YEAR}-00002"
    listed = (await billing.get("/invoices", params={"order_id": str(order_id)})).json()
    assert [i["reference"] for i in listed["items"]] == [f"F{YEAR}-00001", f"F{YEAR}-00002"]
    assert (await billing.get("/credit-notes", params={"client_id": str(request.buyer.client_id)})).json()[
        "items"][0]["id"] == note["id"]


async def test_a_duplicated_or_repeated_request_issues_nothing_more(billing, bus: BusSpy, invoicing):
    request = invoicing()
    before = handled(events.InvoicingRequested)
    first = await bus.publish(request, request.order_id, 1)
    await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)
    await bus.publish(request, request.order_id, 1, envelope_id=first.id)  # redelivered
    await bus.publish(request, request.order_id, 2)  # asked again while invoiced: the same invoice announced again
    await wait_handled(events.InvoicingRequested, before + 3)
    await bus.wait_for(events.InvoiceIssued, order_id=request.order_id, repeated=True)
    assert [e.data["repeated"] for e in bus.of_type(events.InvoiceIssued, order_id=request.order_id)] == [False, True]
    assert len((await billing.get("/invoices", params={"order_id": str(request.order_id)})).json()["items"]) == 1


async def test_a_late_invoicing_request_does_not_undo_a_newer_uninvoicing(billing, bus: BusSpy, invoicing):
    request = invoicing()
    before, uninvoicings = handled(events.InvoicingRequested), handled(events.UninvoicingRequested)
    await bus.publish(events.UninvoicingRequested(order_id=request.order_id, client_id=request.buyer.client_id,
                                                  reason="x"), request.order_id, 2)
    await wait_handled(events.UninvoicingRequested, uninvoicings + 1)  # applied first, as a newer version
    await bus.publish(request, request.order_id, 1)
    await wait_handled(events.InvoicingRequested, before + 1)
    assert (await billing.get("/invoices", params={"order_id": str(request.order_id)})).json()["items"] == []


async def test_lines_that_do_not_sum_to_the_total_are_refused_and_take_no_number(billing, bus: BusSpy, invoicing):
    wrong = invoicing().model_copy(update={"total": Decimal("1891.01")})
    before = handled(events.InvoicingRequested, "failed")
    await bus.publish(wrong, wrong.order_id, 1)
    await wait_handled(events.InvoicingRequested, before + 3, "failed")  # first try and both retries
    assert (await billing.get("/invoices")).json()["items"] == []
    request = invoicing()
    await bus.publish(request, request.order_id, 1)
    assert (await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)).data["number"] == 1


async def test_cancelling_an_invoiced_order_credits_its_invoice(billing, bus: BusSpy, invoicing):
    request = invoicing()
    await bus.publish(request, request.order_id, 1)
    await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)
    cancelled = events.OrderCancelled(
        order_id=request.order_id, reference="C2026-00042", client_id=request.buyer.client_id,
        departure_id=uuid.uuid4(), status="cancelled", places=2, participant_ids=[], total=Decimal("1891.00"),
        amount_paid=Decimal("500.00"), invoiced=True, cancelled_by="client", cancellation_reason="Fracture",
    )
    await bus.publish(cancelled, request.order_id, 2)
    credited = await bus.wait_for(events.CreditNoteIssued, order_id=request.order_id)
    assert credited.data["reason"] == "Annulation de la commande C2026-00042 : Fracture"


async def test_uninvoicing_an_order_never_invoiced_does_nothing(billing, bus: BusSpy):
    before = handled(events.UninvoicingRequested)
    order_id = uuid.uuid4()
    await bus.publish(events.UninvoicingRequested(order_id=order_id, client_id=uuid.uuid4(), reason="x"), order_id, 1)
    await wait_handled(events.UninvoicingRequested, before + 1)
    assert (await billing.get("/credit-notes", params={"order_id": str(order_id)})).json()["items"] == []


async def test_the_pdf_is_rendered_in_the_background_and_downloaded(billing, bus: BusSpy, invoicing, pdf_objects):
    request = invoicing()
    await bus.publish(request, request.order_id, 1)
    issued = await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)
    rendered = await bus.wait_for(events.DocumentRendered, document_id=issued.data["invoice_id"])
    assert rendered.data["kind"] == "invoice" and rendered.data["reference"] == issued.data["reference"]
    assert (await billing.get(f"/invoices/{issued.data['invoice_id']}")).json()["pdf_ready"] is True

    response = await billing.get(f"/invoices/{issued.data['invoice_id']}/pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'inline; filename="{issued.data["reference"]}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert f"Facture {issued.data['reference']}".encode() in pdf_objects(response.content)

    await bus.publish(events.UninvoicingRequested(order_id=request.order_id, client_id=request.buyer.client_id,
                                                  reason="x"), request.order_id, 2)
    note = await bus.wait_for(events.CreditNoteIssued, order_id=request.order_id)
    await bus.wait_for(events.DocumentRendered, document_id=note.data["credit_note_id"])
    pdf = (await billing.get(f"/credit-notes/{note.data['credit_note_id']}/pdf")).content
    assert f"Avoir {note.data['reference']}".encode() in pdf_objects(pdf)


async def test_a_pdf_not_rendered_yet_is_rendered_on_download(billing, billing_db, bus: BusSpy, invoicing):
    request = invoicing()
    invoice_id = uuid.uuid4()
    engine = create_async_engine(billing_db)
    async with AsyncSession(engine) as session:
        session.add(Invoice(
            id=invoice_id, series="F2020", number=1, reference="F2020-00001", order_id=request.order_id,
            order_reference="C-1", client_id=request.buyer.client_id, buyer=request.buyer.model_dump(mode="json"),
            seller=DEMO_SELLER.model_dump(mode="json"),
            lines=[line.model_dump(mode="json") for line in request.lines], total=request.total,
            amount_paid=request.amount_paid, issued_at=datetime(2020, 5, 4, tzinfo=UTC),
        ))
        await session.commit()
    assert (await billing.get(f"/invoices/{invoice_id}")).json()["pdf_ready"] is False
    first = await billing.get(f"/invoices/{invoice_id}/pdf")
    assert first.status_code == 200 and first.content.startswith(b"%PDF-")
    await bus.wait_for(events.DocumentRendered, document_id=invoice_id)
    assert (await billing.get(f"/invoices/{invoice_id}/pdf")).content == first.content

    async with engine.connect() as connection:
        with pytest.raises(DBAPIError, match="never changes"):
            await connection.execute(text("UPDATE invoices SET total = 0 WHERE id = :id"), {"id": invoice_id})
        await connection.rollback()
        with pytest.raises(DBAPIError, match="never deleted"):
            await connection.execute(text("DELETE FROM invoices WHERE id = :id"), {"id": invoice_id})
    await engine.dispose()


async def test_unknown_ids_are_404_bad_ids_422_and_every_route_needs_a_token(billing):
    for path in ("/invoices", "/credit-notes"):
        assert (await billing.get(f"{path}/{uuid.uuid4()}")).status_code == 404
        assert (await billing.get(f"{path}/{uuid.uuid4()}/pdf")).status_code == 404
        response = await billing.get(f"{path}/not-a-uuid")
        assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
        assert (await billing.get(path, params={"client_id": "nope"})).status_code == 422
        assert (await billing.get(path, params={"limit": 0})).status_code == 422
        assert (await billing.get(path, headers={"Authorization": ""})).status_code == 401
    assert (await billing.get("/invoices", headers={"Authorization": "Bearer forged"})).status_code == 401


async def test_accountants_and_services_read_and_a_family_only_its_own(billing):
    assert (await billing.get("/invoices", headers=auth("accountant"))).status_code == 200
    assert (await billing.get("/credit-notes", headers=auth("service"))).status_code == 200
    family = await billing.get("/invoices", headers=auth("client", client_id=str(uuid.uuid4())))
    assert family.json() == {"items": [], "next_cursor": None}, "its own: none yet (test_own_documents.py)"


async def test_lists_are_paginated(billing, bus: BusSpy, invoicing):
    client_id = uuid.uuid4()
    for _ in range(3):
        request = invoicing(client_id=client_id)
        await bus.publish(request, request.order_id, 1)
    await eventually(lambda: _invoices_of(billing, client_id, 3))
    first = (await billing.get("/invoices", params={"client_id": str(client_id), "limit": 2})).json()
    second = (await billing.get("/invoices", params={"client_id": str(client_id), "limit": 2,
                                                     "cursor": first["next_cursor"]})).json()
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["next_cursor"] is None
    numbers = [i["number"] for i in first["items"] + second["items"]]
    assert numbers == [1, 2, 3]


async def _invoices_of(billing, client_id, count):
    return len((await billing.get("/invoices", params={"client_id": str(client_id)})).json()["items"]) == count


async def test_an_invoicing_asked_again_announces_the_same_invoice_and_issues_none(billing, bus: BusSpy, invoicing):
    """Orders re-drives a request whose answer it never heard: billing answers with the invoice it has."""
    request = invoicing()
    await bus.publish(request, request.order_id, 1)
    first = await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)
    await bus.publish(request, request.order_id, 2)
    again = await bus.wait_for(events.InvoiceIssued, order_id=request.order_id, repeated=True)
    assert again.aggregate_version == first.aggregate_version + 1
    assert {k: again.data[k] for k in ("invoice_id", "number", "reference", "total", "issued_at", "invoiced")} == {
        k: first.data[k] for k in ("invoice_id", "number", "reference", "total", "issued_at", "invoiced")}
    invoices = (await billing.get("/invoices", params={"order_id": str(request.order_id)})).json()["items"]
    assert [invoice["id"] for invoice in invoices] == [first.data["invoice_id"]]
