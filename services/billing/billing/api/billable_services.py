"""Billable services: the configured list a service invoice picks from."""
from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import select

from billing import billable_services
from billing.api.schemas import BillableServiceIn, BillableServiceOut
from billing.tables import BillableService
from shared.app import UoW
from shared.auth import Admin, BackOffice
from shared.idempotency import IdempotencyKey, once
from shared.pagination import Cursor, Limit, Page, keyset_page

router = APIRouter(tags=["billable services"])


@router.post("/billable-services", status_code=201, summary="Add a service sold outside stays.")
async def create_service(body: BillableServiceIn, uow: UoW, _: Admin, key: IdempotencyKey = None):
    async def create() -> BillableServiceOut:
        service = await billable_services.create(uow, body.label, body.unit_price, body.vat_rate, body.active)
        return BillableServiceOut.model_validate(service)

    return await once(uow, key, "billing:create_billable_service", create)


@router.get("/billable-services", summary="The billable services, oldest first.")
async def list_services(uow: UoW, _: BackOffice, limit: Limit = 50,
                        cursor: Cursor = None) -> Page[BillableServiceOut]:
    rows, next_cursor = await keyset_page(uow.session, select(BillableService), BillableService.created_at,
                                          BillableService.id, limit, cursor)
    return Page(items=[BillableServiceOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.put("/billable-services/{service_id}", summary="Change a service; issued invoices keep what they printed.")
async def change_service(service_id: UUID, body: BillableServiceIn, uow: UoW, _: Admin) -> BillableServiceOut:
    service = await billable_services.change(uow, service_id, body.label, body.unit_price, body.vat_rate, body.active)
    await uow.commit()
    return BillableServiceOut.model_validate(service)
