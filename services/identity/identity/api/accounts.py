"""Front-office accounts, managed by staff: give a client, a reseller or a legal guardian an account (a link to choose
its password is mailed), send it a new link, disable it, enable it again."""
from datetime import timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from identity import accounts, front_office
from identity.schemas import AccountIn, AccountOut, FrontOfficeRole, ResetOut
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.idempotency import IdempotencyKey, once
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["front-office accounts"])


@router.post("/accounts", status_code=201, response_model=AccountOut,
             summary="Give a client, a reseller or a legal guardian a front-office account; a link is mailed to it.",
             responses={404: {"description": "The client (or its legal guardian) is not known to identity yet."},
                        409: {"description": "front_office_account_forbidden, guardian_accounts_disabled, "
                                             "not_a_reseller, email_required, client_blocked, client_unavailable, "
                                             "account_exists, login_taken"}})
async def give_account(body: AccountIn, request: Request, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def give() -> AccountOut:
        link_ttl = timedelta(hours=request.app.state.settings.new_account_link_hours)
        return AccountOut.of(await front_office.give_account(uow, body.client_id, body.role, body.guardian_id,
                                                             link_ttl))

    return await once(uow, key, "identity:give_account", give)


@router.get("/accounts", summary="Front-office accounts, of a client or all.")
async def list_accounts(
    uow: UoW, _: BackOffice,
    client_id: Annotated[UUID | None, Query(description="Only the accounts of this client (its own, its guardians').")]
    = None,
    role: FrontOfficeRole | None = None,
    active: bool | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[AccountOut]:
    rows, next_cursor = await front_office.list_accounts(uow, client_id, role, active, limit, cursor)
    return Page(items=[AccountOut.of(a) for a in rows], next_cursor=next_cursor)


@router.get("/accounts/{account_id}", summary="One front-office account.")
async def get_account(account_id: UUID, uow: UoW, _: BackOffice) -> AccountOut:
    return AccountOut.of(await front_office.get_front_office(uow, account_id))


@router.post("/accounts/{account_id}/password-reset", status_code=201,
             summary="Generate and send a new password: a single-use link mailed to the account's owner.",
             responses={409: {"description": "account_disabled"}})
async def request_reset(account_id: UUID, request: Request, uow: UoW, _: Staff) -> ResetOut:
    await front_office.get_front_office(uow, account_id)
    ttl = timedelta(minutes=request.app.state.settings.password_reset_ttl_minutes)
    reset = await accounts.request_reset(uow, account_id, ttl)
    await uow.commit()
    return ResetOut(reset_id=reset.id, expires_at=reset.expires_at)


@router.post("/accounts/{account_id}/disable", summary="Disable an account: it can no longer log in, its sessions end.")
async def disable(account_id: UUID, uow: UoW, _: Staff) -> AccountOut:
    account = await front_office.get_front_office(uow, account_id, for_update=True)
    if account.disabled_at is None:
        await accounts.deactivate(uow, account, "account_disabled")
    await uow.commit()
    return AccountOut.of(account)


@router.post("/accounts/{account_id}/enable", summary="Let a disabled account log in again.")
async def enable(account_id: UUID, uow: UoW, _: Staff) -> AccountOut:
    account = await front_office.get_front_office(uow, account_id, for_update=True)
    accounts.reactivate(uow, account)
    await uow.commit()
    return AccountOut.of(account)
