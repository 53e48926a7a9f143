"""HTTP routes of the order's PDFs: the versions, their download, and the operator's "regenerate"."""
from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from orders import order_pdfs, services
from orders.access import ORDER_ROUTE, OrderCaller, check_access
from orders.snapshot import Snapshot
from orders.tables import OrderPdf
from shared.app import UoW
from shared.auth import Staff
from shared.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor
from shared.problems import NotFound, Problem

router = APIRouter(tags=["documents"])


class PdfOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    order_id: UUID
    number: int = Field(description="1 for the first version, then one more at each validation, change, regeneration.")
    order_version: int
    reason: str
    requested_at: datetime
    requested_by: str
    rendered_at: datetime | None = Field(description="Null while the PDF is being rendered.")


@router.post("/orders/{order_id}/documents/regenerate", status_code=202,
             summary="Rebuild the order's PDF as a new version (rendered in the background).")
async def regenerate(order_id: UUID, request: Request, uow: UoW, principal: Staff) -> PdfOut:
    order = await services.get_order(uow, order_id, lock=True)
    version = await order_pdfs.request_pdf(uow, order, "regenerated", principal.sub,
                                           request.app.state.settings.presentation())
    services._log(uow, order, "pdf_requested", f"Regénération du PDF demandée (version {version.number}).",
                  principal.sub)
    await uow.commit()
    return PdfOut.model_validate(version)


@router.get("/orders/{order_id}/pdfs", openapi_extra=ORDER_ROUTE,
            summary="Every version of the order's PDF, by number.")
async def list_pdfs(order_id: UUID, uow: Snapshot, principal: OrderCaller, limit: Limit = 50, cursor: Cursor = None
                    ) -> Page[PdfOut]:
    check_access(principal, await services.get_order(uow, order_id))
    stmt = select(OrderPdf).where(OrderPdf.order_id == order_id)
    if cursor:
        (after,) = decode_cursor(cursor, 1)
        if not after.isdigit():
            raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.")
        stmt = stmt.where(OrderPdf.number > int(after))
    rows = list(await uow.session.scalars(stmt.order_by(OrderPdf.number).limit(limit + 1)))
    next_cursor = encode_cursor(rows[limit - 1].number) if len(rows) > limit else None
    return Page(items=[PdfOut.model_validate(r) for r in rows[:limit]], next_cursor=next_cursor)


@router.get("/orders/{order_id}/pdfs/{number}", summary="Download one version of the order's PDF.",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}}, openapi_extra=ORDER_ROUTE)
async def download_pdf(order_id: UUID, number: int, uow: Snapshot, principal: OrderCaller) -> Response:
    order = await services.get_order(uow, order_id)
    check_access(principal, order)
    version = await uow.session.scalar(select(OrderPdf).where(OrderPdf.order_id == order_id,
                                                              OrderPdf.number == number))
    if version is None:
        raise NotFound("PDF version", number)
    content = await order_pdfs.pdf_content(uow, version)
    if content is None:
        raise Problem(409, "pdf_not_ready", "PDF not ready",
                      "Ce PDF est en cours de génération : réessayez dans quelques secondes.")
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{order.reference}-v{number}.pdf"'})
