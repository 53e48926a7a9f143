"""Invoices: read, download; a service invoice issued for a client without an order; partial credit notes naming
their invoice."""
from uuid import UUID

from fastapi import APIRouter, Request, Response

from billing import billable_services, services
from billing.api.documents import (
    PDF_RESPONSE,
    Biller,
    ClientFilter,
    OrderFilter,
    Reader,
    listed,
    pdf_response,
    readable,
)
from billing.api.schemas import CreditNoteOut, InvoiceOut, PartialCreditIn, ServiceInvoiceIn
from billing.tables import Invoice
from shared.app import UoW
from shared.auth import client_scope
from shared.idempotency import IdempotencyKey, once
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["invoices"])


@router.get("/invoices", summary="List invoices, oldest first.")
async def list_invoices(uow: UoW, reader: Reader, order_id: OrderFilter = None, client_id: ClientFilter = None,
                        limit: Limit = 50, cursor: Cursor = None) -> Page[InvoiceOut]:
    rows, next_cursor = await listed(uow, Invoice, order_id, client_scope(reader, client_id), limit, cursor)
    return Page(items=[InvoiceOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/invoices/{invoice_id}", summary="One invoice, as issued.")
async def get_invoice(invoice_id: UUID, uow: UoW, reader: Reader) -> InvoiceOut:
    return InvoiceOut.model_validate(await readable(uow, Invoice, invoice_id, reader))


@router.get("/invoices/{invoice_id}/pdf", summary="The invoice's PDF.", response_class=Response,
            responses=PDF_RESPONSE)
async def invoicepdf(invoice_id: UUID, uow: UoW, reader: Reader) -> Response:
    return await pdf_response(uow, Invoice, invoice_id, reader)




@router.post("/invoices", status_code=201, summary="Issue a service invoice: billable services or free lines, for a "
                                                    "client without an order.",
             responses={409: {"description": "no_issuer, fiscal_year_closed, service_inactive, ..."}})
async def issue_service_invoice(body: ServiceInvoiceIn, request: Request, uow: UoW, _: Biller,
                                key: IdempotencyKey = None):
    async def issue() -> InvoiceOut:
        lines = [await billable_services.line(uow, line.service_id, line.quantity) if line.service_id else line.line()
                 for line in body.lines]
        invoice = await services.invoice_services(uow, request.app.state.settings.demo_issuer(), body.issuer_id,
                                                  body.buyer.buyer(), lines)
        await uow.session.flush()
        return InvoiceOut.model_validate(invoice)

    return await once(uow, key, "billing:service_invoice", issue)


@router.post("/invoices/{invoice_id}/credit-notes", status_code=201,
             summary="Credit part of an invoice: some of its lines, or an amount.",
             responses={409: {"description": "credit_exceeds_invoice, quantity_exceeds_line, vat_rate_needed, ..."}})
async def credit_part(invoice_id: UUID, body: PartialCreditIn, request: Request, uow: UoW, _: Biller,
                      key: IdempotencyKey = None):
    async def credit() -> CreditNoteOut:
        picks = [(line.index, line.quantity) for line in body.lines or []]
        note = await services.credit_part(uow, request.app.state.settings.demo_issuer(), invoice_id, picks,
                                          body.amount, body.vat_rate, body.reason)
        await uow.session.flush()
        return CreditNoteOut.model_validate(note)

    return await once(uow, key, f"billing:credit_part:{invoice_id}", credit)
