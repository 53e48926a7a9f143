"""Credit notes: read and download. Each names the invoice it cancels, wholly or in part."""
from uuid import UUID

from fastapi import APIRouter, Response

from billing.api.documents import PDF_RESPONSE, ClientFilter, OrderFilter, Reader, listed, pdf_response, readable
from billing.api.schemas import CreditNoteOut
from billing.tables import CreditNote
from shared.app import UoW
from shared.auth import client_scope
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["credit notes"])


@router.get("/credit-notes", summary="List credit notes, oldest first.")
async def list_credit_notes(uow: UoW, reader: Reader, order_id: OrderFilter = None, client_id: ClientFilter = None,
                            limit: Limit = 50, cursor: Cursor = None) -> Page[CreditNoteOut]:
    rows, next_cursor = await listed(uow, CreditNote, order_id, client_scope(reader, client_id), limit, cursor)
    return Page(items=[CreditNoteOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/credit-notes/{credit_note_id}", summary="One credit note, as issued.")
async def get_credit_note(credit_note_id: UUID, uow: UoW, reader: Reader) -> CreditNoteOut:
    return CreditNoteOut.model_validate(await readable(uow, CreditNote, credit_note_id, reader))


@router.get("/credit-notes/{credit_note_id}/pdf", summary="The credit note's PDF.", response_class=Response,
            responses=PDF_RESPONSE)
async def credit_notepdf(credit_note_id: UUID, uow: UoW, reader: Reader) -> Response:
    return await pdf_response(uow, CreditNote, credit_note_id, reader)
