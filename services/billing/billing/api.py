"""HTTP routes of the billing service: read-only. Documents are issued on the orders' events, never by a request.
A client's own front-office account (a family's account holder, a reseller) reads its own documents only: another
client's are not found."""
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from sqlalchemy import select

from billing import services
from billing.domain.documents import Seller
from billing.tables import CreditNote, Invoice
from shared.app import UoW
from shared.auth import HOLDERS, READERS, Principal, client_scope, ensure_owner, require_roles
from shared.db import UnitOfWork
from shared.events import Buyer, InvoiceLine
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page

router = APIRouter(tags=["billing"])

OrderFilter = Annotated[UUID | None, Query(description="Only this order's documents.")]
ClientFilter = Annotated[UUID | None, Query(description="Only this client's documents; a client's own account always "
                                                        "gets its own only.")]
Reader = Annotated[Principal, Depends(require_roles(*READERS, *HOLDERS))]
PDF_RESPONSE = {200: {"content": {"application/pdf": {}}, "description": "The document as a PDF."}}


class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    reference: str = Field(examples=["F2026-00001"])
    series: str = Field(examples=["F2026"])
    number: int
    order_id: UUID
    order_reference: str
    client_id: UUID
    total: Money
    lines: list[InvoiceLine]
    buyer: Buyer
    seller: Seller
    issued_at: datetime
    pdf_ready: Annotated[bool, BeforeValidator(lambda rendered_at: rendered_at is not None)] = Field(
        validation_alias="rendered_at", description="The PDF is rendered and stored."
    )


class InvoiceOut(DocumentOut):
    amount_paid: Money = Field(description="What the order had paid when the invoice was issued.")
    kind: Literal["order", "cancellation"] = Field(
        description="order: the booking's invoice; cancellation: the fees of a cancelled booking (same series).")


class CreditNoteOut(DocumentOut):
    invoice_id: UUID
    invoice_reference: str = Field(examples=["F2026-00001"])
    reason: str


async def _page(uow: UnitOfWork, table: type[services.Document], order_id: UUID | None, client_id: UUID | None,
                limit: int, cursor: str | None) -> tuple[list[services.Document], str | None]:
    stmt = select(table)
    if order_id:
        stmt = stmt.where(table.order_id == order_id)
    if client_id:
        stmt = stmt.where(table.client_id == client_id)
    return await keyset_page(uow.session, stmt, table.issued_at, table.id, limit, cursor)


async def _document(uow: UnitOfWork, table: type[services.Document], document_id: UUID, reader: Principal
                    ) -> services.Document:
    document = await services.get_document(uow, table, document_id)
    ensure_owner(reader, document.client_id, services.KINDS[table].replace("_", " "), document_id)
    return document


async def _pdf(uow: UnitOfWork, table: type[services.Document], document_id: UUID, reader: Principal) -> Response:
    document = await _document(uow, table, document_id, reader)
    pdf = await services.pdf_of(uow, document)
    await uow.commit()
    disposition = f'inline; filename="{document.reference}.pdf"'
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": disposition})


@router.get("/invoices", summary="List invoices, oldest first.")
async def list_invoices(uow: UoW, reader: Reader, order_id: OrderFilter = None, client_id: ClientFilter = None,
                        limit: Limit = 50, cursor: Cursor = None) -> Page[InvoiceOut]:
    rows, next_cursor = await _page(uow, Invoice, order_id, client_scope(reader, client_id), limit, cursor)
    return Page(items=[InvoiceOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/invoices/{invoice_id}", summary="One invoice, as issued.")
async def get_invoice(invoice_id: UUID, uow: UoW, reader: Reader) -> InvoiceOut:
    return InvoiceOut.model_validate(await _document(uow, Invoice, invoice_id, reader))


@router.get("/invoices/{invoice_id}/pdf", summary="The invoice's PDF.", response_class=Response,
            responses=PDF_RESPONSE)
async def invoice_pdf(invoice_id: UUID, uow: UoW, reader: Reader) -> Response:
    return await _pdf(uow, Invoice, invoice_id, reader)


@router.get("/credit-notes", summary="List credit notes, oldest first.")
async def list_credit_notes(uow: UoW, reader: Reader, order_id: OrderFilter = None, client_id: ClientFilter = None,
                            limit: Limit = 50, cursor: Cursor = None) -> Page[CreditNoteOut]:
    rows, next_cursor = await _page(uow, CreditNote, order_id, client_scope(reader, client_id), limit, cursor)
    return Page(items=[CreditNoteOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/credit-notes/{credit_note_id}", summary="One credit note, as issued.")
async def get_credit_note(credit_note_id: UUID, uow: UoW, reader: Reader) -> CreditNoteOut:
    return CreditNoteOut.model_validate(await _document(uow, CreditNote, credit_note_id, reader))


@router.get("/credit-notes/{credit_note_id}/pdf", summary="The credit note's PDF.", response_class=Response,
            responses=PDF_RESPONSE)
async def credit_note_pdf(credit_note_id: UUID, uow: UoW, reader: Reader) -> Response:
    return await _pdf(uow, CreditNote, credit_note_id, reader)
