"""What invoices and credit notes share in the API: lists, reading one, its PDF. A client's own front-office account
(a family's account holder, a reseller) reads its own documents only: another client's are not found."""
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query, Response
from sqlalchemy import select

from billing import services
from shared.auth import HOLDERS, READERS, STAFF_ROLES, Principal, ensure_owner, require_roles
from shared.db import UnitOfWork
from shared.pagination import keyset_page

OrderFilter = Annotated[UUID | None, Query(description="Only this order's documents.")]
ClientFilter = Annotated[UUID | None, Query(description="Only this client's documents; a client's own account always "
                                                        "gets its own only.")]
Reader = Annotated[Principal, Depends(require_roles(*READERS, *HOLDERS))]
Biller = Annotated[Principal, Depends(require_roles(*STAFF_ROLES))]
PDF_RESPONSE = {200: {"content": {"application/pdf": {}}, "description": "The document as a PDF."}}


async def listed(uow: UnitOfWork, table: type[services.Document], order_id: UUID | None, client_id: UUID | None,
                  limit: int, cursor: str | None) -> tuple[list[services.Document], str | None]:
    stmt = select(table)
    if order_id:
        stmt = stmt.where(table.order_id == order_id)
    if client_id:
        stmt = stmt.where(table.client_id == client_id)
    return await keyset_page(uow.session, stmt, table.issued_at, table.id, limit, cursor)


async def readable(uow: UnitOfWork, table: type[services.Document], document_id: UUID, reader: Principal
                   ) -> services.Document:
    found = await services.get_document(uow, table, document_id)
    ensure_owner(reader, found.client_id, services.KINDS[table].replace("_", " "), document_id)
    return found


async def pdf_response(uow: UnitOfWork, table: type[services.Document], document_id: UUID,
                       reader: Principal) -> Response:
    found = await readable(uow, table, document_id, reader)
    content = await services.pdf_of(uow, found)
    await uow.commit()
    disposition = f'inline; filename="{found.reference}.pdf"'
    return Response(content, media_type="application/pdf", headers={"Content-Disposition": disposition})
