"""Issuers: the master entity (and organisers invoicing their own stays), their legal mentions, VAT regime and
fiscal years. An admin sets them; each change is a version, and documents keep the one they were issued with."""
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from sqlalchemy import select

from billing import issuers
from billing.api.schemas import FiscalYearOut, IssuerChange, IssuerIn, IssuerOut, IssuerVersionOut
from billing.domain.documents import issue_date
from billing.tables import Issuer
from shared.app import UoW
from shared.auth import Admin, BackOffice, Principal, require_roles
from shared.idempotency import IdempotencyKey, once
from shared.pagination import Cursor, Limit, Page, keyset_page

router = APIRouter(tags=["issuers"])
Closer = Annotated[Principal, Depends(require_roles("admin", "accountant"))]


def _out(issuer: Issuer) -> IssuerOut:
    return IssuerOut(id=issuer.id, code=issuer.code, is_master=issuer.is_master, organiser_id=issuer.organiser_id,
                     invoices_all_stays=issuer.invoices_all_stays, version=issuer.version,
                     updated_at=issuer.updated_at, settings=issuer.mentions["settings"],
                     printed=issuer.mentions["printed"])


@router.post("/issuers", status_code=201, summary="Set an issuer: the master entity, or an organiser's.",
             responses={409: {"description": "master_exists, code_taken, organiser_has_issuer, issuer_code"}})
async def create_issuer(body: IssuerIn, uow: UoW, admin: Admin, key: IdempotencyKey = None):
    async def create() -> IssuerOut:
        issuer = await issuers.create_issuer(uow, body.settings(), body.code or "", body.is_master,
                                             body.organiser_id, body.invoices_all_stays, admin.sub)
        await uow.session.flush()
        return _out(issuer)

    return await once(uow, key, "billing:create_issuer", create)


@router.get("/issuers", summary="The issuers by code, the master entity (no code) first.")
async def list_issuers(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[IssuerOut]:
    rows, next_cursor = await keyset_page(uow.session, select(Issuer), Issuer.code, Issuer.id, limit, cursor)
    return Page(items=[_out(issuer) for issuer in rows], next_cursor=next_cursor)


@router.get("/issuers/{issuer_id}", summary="One issuer, at its current version.")
async def get_issuer(issuer_id: UUID, uow: UoW, _: BackOffice) -> IssuerOut:
    return _out(await issuers.get_issuer(uow, issuer_id))


@router.put("/issuers/{issuer_id}", summary="Change an issuer's settings: a new version, printed by documents "
                                             "issued from now on.")
async def change_issuer(issuer_id: UUID, body: IssuerChange, uow: UoW, admin: Admin) -> IssuerOut:
    issuer = await issuers.change_issuer(uow, issuer_id, body.settings(), body.invoices_all_stays, admin.sub)
    await uow.commit()
    return _out(issuer)


@router.get("/issuers/{issuer_id}/versions", summary="Every version of an issuer's settings, oldest first.")
async def issuer_versions(issuer_id: UUID, uow: UoW, _: BackOffice) -> list[IssuerVersionOut]:
    return [IssuerVersionOut.model_validate(v) for v in await issuers.versions(uow, issuer_id)]


@router.get("/issuers/{issuer_id}/fiscal-years", summary="Its fiscal years, from the first to the current one.")
async def fiscal_years(issuer_id: UUID, uow: UoW, _: BackOffice) -> list[FiscalYearOut]:
    today = await _today(uow, issuer_id)
    return [FiscalYearOut(starts_on=start, ends_on=end, closed=closed is not None,
                          closed_at=closed and closed.closed_at, closed_by=closed and closed.closed_by)
            for start, end, closed in await issuers.fiscal_years(uow, issuer_id, today)]


@router.post("/issuers/{issuer_id}/fiscal-years/{starts_on}/closure", status_code=201,
             summary="Close a fiscal year that is over: no document is dated in it any more.",
             responses={409: {"description": "fiscal_year_not_over, fiscal_year_closed, not_a_fiscal_year"}})
async def close_fiscal_year(issuer_id: UUID, starts_on: date, uow: UoW, closer: Closer) -> FiscalYearOut:
    closed = await issuers.close_fiscal_year(uow, issuer_id, starts_on, await _today(uow, issuer_id), closer.sub)
    await uow.commit()
    return FiscalYearOut(starts_on=closed.starts_on, ends_on=closed.ends_on, closed=True, closed_at=closed.closed_at,
                         closed_by=closed.closed_by)


async def _today(uow: UoW, issuer_id: UUID) -> date:
    issuer = issuers.issuing(await issuers.get_issuer(uow, issuer_id))
    return issue_date(uow.clock.now(), issuer.seller.time_zone)
