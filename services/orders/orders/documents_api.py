"""HTTP routes of an order's documents: the checklist, uploads (operators and the client's front office),
the operator's check or refusal, the alerts of client uploads to check, downloads."""
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from orders import documents, services
from orders.access import FAMILY_ROUTE, FamilyCaller, check_access, is_front_office
from orders.api import Dir
from orders.snapshot import Snapshot
from orders.tables import OrderDocument
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.problems import Problem

router = APIRouter(tags=["documents"])


class ItemOut(BaseModel):
    code: str
    label: str
    status: Literal["missing", "to_check", "checked", "refused"]


class ChecklistOut(BaseModel):
    file_complete: bool = Field(description="Every required document is uploaded and checked.")
    items: list[ItemOut]


class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    order_id: UUID
    code: str | None = Field(description="The required document it provides; null for other documents.")
    title: str
    filename: str
    content_type: str
    size: int
    status: Literal["to_check", "checked", "refused"]
    uploaded_by: str
    uploaded_by_client: bool
    uploaded_at: datetime
    checked_by: str | None
    checked_at: datetime | None
    refusal_reason: str | None


class RefusalIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500, examples=["Document illisible"])


@router.get("/orders/{order_id}/checklist", openapi_extra=FAMILY_ROUTE,
            summary="The stay's required documents and where each one stands.")
async def get_checklist(order_id: UUID, uow: UoW, principal: FamilyCaller, dir: Dir) -> ChecklistOut:
    order = await services.get_order(uow, order_id, lock=True)
    check_access(principal, order)
    items = await documents.refresh_file(uow, dir, order, services.SYSTEM)
    await uow.commit()
    return ChecklistOut(file_complete=order.file_complete,
                        items=[ItemOut(code=i.code, label=i.label, status=i.status.value) for i in items])


@router.get("/orders/{order_id}/documents", openapi_extra=FAMILY_ROUTE, summary="The order's documents, oldest first.")
async def list_documents(order_id: UUID, uow: Snapshot, principal: FamilyCaller, limit: Limit = 50,
                         cursor: Cursor = None) -> Page[DocumentOut]:
    check_access(principal, await services.get_order(uow, order_id))
    stmt = select(OrderDocument).where(OrderDocument.order_id == order_id)
    rows, next_cursor = await keyset_page(uow.session, stmt, OrderDocument.uploaded_at, OrderDocument.id, limit,
                                          cursor)
    return Page(items=[DocumentOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/orders/{order_id}/documents", status_code=201, openapi_extra=FAMILY_ROUTE,
             summary="Upload a required document (`code`) or any other document; PDF, JPEG or PNG.")
async def upload_document(
    order_id: UUID, request: Request, uow: UoW, principal: FamilyCaller, dir: Dir,
    file: Annotated[UploadFile, File(description="PDF, JPEG or PNG, within the configured size.")],
    code: Annotated[str | None, Form(max_length=50, description="The required document it provides.")] = None,
    title: Annotated[str | None, Form(max_length=200)] = None,
    checked: Annotated[bool, Form(description="An operator's upload checked at once.")] = False,
) -> DocumentOut:
    order = await services.get_order(uow, order_id, lock=True)
    check_access(principal, order, write=True)
    by_client = is_front_office(principal)
    if by_client and code is None:
        raise Problem(422, "code_required", "Document code required",
                      "From the front office, say which required document the file provides (`code`).")
    max_bytes = request.app.state.settings.document_max_bytes
    content = await file.read(max_bytes + 1)
    document = await documents.upload(uow, dir, order, code, title, file.filename or "document",
                                      file.content_type, content, max_bytes, principal.sub, by_client, checked)
    await uow.commit()
    return DocumentOut.model_validate(document)


@router.get("/orders/{order_id}/documents/{document_id}/content", summary="Download a document.",
            response_class=Response, openapi_extra=FAMILY_ROUTE)
async def download(order_id: UUID, document_id: UUID, uow: Snapshot, principal: FamilyCaller) -> Response:
    check_access(principal, await services.get_order(uow, order_id))
    document = await documents.get_document(uow, order_id, document_id)
    content = await documents.content_of(uow, document)
    return Response(content, media_type=document.content_type,
                    headers={"Content-Disposition": f'attachment; filename="{document.filename}"'})


@router.post("/orders/{order_id}/documents/{document_id}/check", summary="Tick a required document as checked.")
async def check(order_id: UUID, document_id: UUID, uow: UoW, principal: Staff, dir: Dir) -> DocumentOut:
    document = await documents.review(uow, dir, order_id, document_id, True, None, principal.sub)
    await uow.commit()
    return DocumentOut.model_validate(document)


@router.post("/orders/{order_id}/documents/{document_id}/refusal",
             summary="Refuse a required document; the client is to provide it again.")
async def refuse(order_id: UUID, document_id: UUID, body: RefusalIn, uow: UoW, principal: Staff, dir: Dir
                 ) -> DocumentOut:
    document = await documents.review(uow, dir, order_id, document_id, False, body.reason, principal.sub)
    await uow.commit()
    return DocumentOut.model_validate(document)


@router.get("/document-alerts", summary="Documents uploaded by clients that an operator has yet to check.")
async def alerts(uow: Snapshot, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[DocumentOut]:
    stmt = select(OrderDocument).where(OrderDocument.uploaded_by_client.is_(True), OrderDocument.status == "to_check")
    rows, next_cursor = await keyset_page(uow.session, stmt, OrderDocument.uploaded_at, OrderDocument.id, limit,
                                          cursor)
    return Page(items=[DocumentOut.model_validate(r) for r in rows], next_cursor=next_cursor)
