"""HTTP routes of travel packs: group instructions per departure, individual ones per order, the order's mode,
what the client sees and downloads."""
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from orders import services, travel_packs
from orders.access import FAMILY_ROUTE, FamilyCaller, check_access, is_front_office
from orders.api import Dir
from orders.domain.travel_pack import Mode
from orders.snapshot import Snapshot
from orders.tables import TravelPack
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.problems import NotFound

router = APIRouter(tags=["travel packs"])

Upload = Annotated[UploadFile, File(description="PDF, JPEG or PNG, within the configured size.")]
Title = Annotated[str, Form(min_length=1, max_length=200, examples=["Convocation départ Lyon"])]


class PackOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    scope: Literal["group", "individual"]
    departure_id: UUID | None
    order_id: UUID | None
    title: str
    filename: str
    content_type: str
    size: int
    attached_at: datetime
    attached_by: str
    replaced_at: datetime | None

    @classmethod
    def of(cls, pack: TravelPack) -> "PackOut":
        scope = "group" if pack.departure_id else "individual"
        return cls.model_validate({**{k: getattr(pack, k) for k in cls.model_fields if k != "scope"},
                                   "scope": scope})


class ModeIn(BaseModel):
    mode: Mode


class OrderPackOut(BaseModel):
    mode: Mode
    available: bool = Field(description="The client may download the pack (settled and complete, or allowed).")
    missing_documents: list[str]
    amount_due: Money
    message: str | None = Field(description="What the client is told when the pack is not available yet.")
    packs: list[PackOut]


async def _read(request: Request, file: UploadFile) -> bytes:
    return await file.read(request.app.state.settings.document_max_bytes + 1)


def _default(request: Request) -> Mode:
    return Mode(request.app.state.settings.travel_pack_default_mode)


@router.post("/departures/{departure_id}/travel-packs", status_code=201,
             summary="Attach group joining instructions to a departure: every booking of that date is told.")
async def attach_group(departure_id: UUID, request: Request, file: Upload, title: Title, uow: UoW, principal: Staff,
                       dir: Dir) -> PackOut:
    if await dir.departure(departure_id) is None:
        raise NotFound("departure", departure_id)
    pack = await travel_packs.attach(uow, dir, departure_id, None, title, file.filename or "convocation",
                                     file.content_type, await _read(request, file),
                                     request.app.state.settings.document_max_bytes, _default(request), principal.sub)
    await uow.commit()
    return PackOut.of(pack)


@router.get("/departures/{departure_id}/travel-packs", summary="A departure's group joining instructions.")
async def list_group(departure_id: UUID, uow: Snapshot, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
                     ) -> Page[PackOut]:
    stmt = select(TravelPack).where(TravelPack.departure_id == departure_id)
    rows, next_cursor = await keyset_page(uow.session, stmt, TravelPack.attached_at, TravelPack.id, limit, cursor)
    return Page(items=[PackOut.of(r) for r in rows], next_cursor=next_cursor)


@router.put("/travel-packs/{pack_id}/content",
            summary="Replace the file of joining instructions: every booking concerned is told again.")
async def replace(pack_id: UUID, request: Request, file: Upload, uow: UoW, principal: Staff, dir: Dir) -> PackOut:
    pack = await travel_packs.replace(uow, dir, pack_id, file.filename or "convocation", file.content_type,
                                      await _read(request, file), request.app.state.settings.document_max_bytes,
                                      principal.sub)
    await uow.commit()
    return PackOut.of(pack)


@router.post("/orders/{order_id}/travel-packs", status_code=201,
             summary="Attach individual joining instructions to an order in individual mode; the client is told.")
async def attach_individual(order_id: UUID, request: Request, file: Upload, title: Title, uow: UoW,
                            principal: Staff, dir: Dir) -> PackOut:
    order = await services.get_order(uow, order_id, lock=True)
    pack = await travel_packs.attach(uow, dir, None, order, title, file.filename or "convocation", file.content_type,
                                     await _read(request, file), request.app.state.settings.document_max_bytes,
                                     _default(request), principal.sub)
    await uow.commit()
    return PackOut.of(pack)


@router.put("/orders/{order_id}/travel-pack-mode",
            summary="Switch the order between group and individual travel pack (to group removes its own packs).")
async def set_mode(order_id: UUID, body: ModeIn, request: Request, uow: UoW, principal: Staff) -> ModeIn:
    order = await travel_packs.set_mode(uow, order_id, body.mode, _default(request), principal.sub)
    await uow.commit()
    return ModeIn(mode=travel_packs.mode_of(order, _default(request)))


@router.get("/orders/{order_id}/travel-pack", openapi_extra=FAMILY_ROUTE,
            summary="The order's joining instructions and whether the client may download them, or what is missing.")
async def order_pack(order_id: UUID, request: Request, uow: UoW, principal: FamilyCaller, dir: Dir
                     ) -> OrderPackOut:
    order = await services.get_order(uow, order_id, lock=True)
    check_access(principal, order)
    granted = await travel_packs.access_of(uow, dir, order)
    packs = await travel_packs.packs_of(uow, order)
    await uow.commit()
    return OrderPackOut(mode=travel_packs.mode_of(order, _default(request)), available=granted.available,
                        missing_documents=list(granted.missing_documents),
                        amount_due=granted.amount_due or Decimal("0.00"),
                        message=None if granted.available else granted.refusal(),
                        packs=[PackOut.of(p) for p in packs])


@router.get("/orders/{order_id}/travel-packs/{pack_id}/content", response_class=Response, openapi_extra=FAMILY_ROUTE,
            summary="Download joining instructions; the client only once the pack is available (logged).")
async def download(order_id: UUID, pack_id: UUID, uow: UoW, principal: FamilyCaller, dir: Dir) -> Response:
    order = await services.get_order(uow, order_id, lock=True)
    check_access(principal, order)
    pack, content = await travel_packs.download(uow, dir, order, pack_id, is_front_office(principal), principal.sub)
    await uow.commit()
    return Response(content, media_type=pack.content_type,
                    headers={"Content-Disposition": f'attachment; filename="{pack.filename}"'})
