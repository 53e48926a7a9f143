"""Staff users, managed by admins: create, list, change roles and permissions, disable, password links, sessions."""
from datetime import timedelta
from uuid import UUID

from fastapi import APIRouter, Request, Response

from identity import accounts, sessions
from identity.schemas import ResetOut, SessionOut, StaffRole, UserIn, UserOut, UserPatch
from shared.app import UoW
from shared.auth import Admin
from shared.idempotency import IdempotencyKey, once
from shared.pagination import Cursor, Limit, Page
from shared.problems import NotFound

router = APIRouter(tags=["users"])


@router.post("/users", status_code=201, summary="Create a staff user; without a password, a link is mailed to it.",
             responses={409: {"description": "login_taken"}})
async def create_user(body: UserIn, request: Request, uow: UoW, _: Admin, key: IdempotencyKey = None):
    async def create() -> UserOut:
        link_ttl = timedelta(hours=request.app.state.settings.new_account_link_hours)
        return UserOut.of(await accounts.create_staff(uow, body.email, body.display_name, body.role,
                                                      list(body.permissions), body.password, link_ttl))

    return await once(uow, key, "identity:create_user", create)


@router.get("/users", summary="List staff users.")
async def list_users(uow: UoW, _: Admin, role: StaffRole | None = None, active: bool | None = None,
                     limit: Limit = 50, cursor: Cursor = None) -> Page[UserOut]:
    rows, next_cursor = await accounts.list_staff(uow, role, active, limit, cursor)
    return Page(items=[UserOut.of(a) for a in rows], next_cursor=next_cursor)


@router.get("/users/{user_id}", summary="One staff user.")
async def get_user(user_id: UUID, uow: UoW, _: Admin) -> UserOut:
    return UserOut.of(await accounts.get_staff(uow, user_id))


@router.patch("/users/{user_id}", summary="Rename a user or change its role and permissions (its next token has them).",
              responses={409: {"description": "last_admin"}})
async def update_user(user_id: UUID, body: UserPatch, uow: UoW, _: Admin) -> UserOut:
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    account = await accounts.update_staff(uow, user_id, changes)
    await uow.commit()
    return UserOut.of(account)


@router.post("/users/{user_id}/disable", summary="Disable a user: it can no longer log in, its sessions end.",
             responses={409: {"description": "last_admin"}})
async def disable_user(user_id: UUID, uow: UoW, _: Admin) -> UserOut:
    account = await accounts.disable(uow, user_id)
    await uow.commit()
    return UserOut.of(account)


@router.post("/users/{user_id}/enable", summary="Let a disabled user log in again.")
async def enable_user(user_id: UUID, uow: UoW, _: Admin) -> UserOut:
    account = await accounts.enable(uow, user_id)
    await uow.commit()
    return UserOut.of(account)


@router.post("/users/{user_id}/password-reset", status_code=201,
             summary="Mail the user a single-use link to choose a new password.")
async def request_reset(user_id: UUID, request: Request, uow: UoW, _: Admin) -> ResetOut:
    await accounts.get_staff(uow, user_id)
    ttl = timedelta(minutes=request.app.state.settings.password_reset_ttl_minutes)
    reset = await accounts.request_reset(uow, user_id, ttl)
    await uow.commit()
    return ResetOut(reset_id=reset.id, expires_at=reset.expires_at)


@router.delete("/users/{user_id}/second-factor", summary="Remove a user's second factor (a lost phone).")
async def remove_second_factor(user_id: UUID, uow: UoW, _: Admin) -> UserOut:
    account = await accounts.remove_second_factor(uow, user_id)
    await uow.commit()
    return UserOut.of(account)


@router.get("/users/{user_id}/sessions", summary="A user's open sessions.")
async def user_sessions(user_id: UUID, uow: UoW, _: Admin, limit: Limit = 50, cursor: Cursor = None
                        ) -> Page[SessionOut]:
    await accounts.get_staff(uow, user_id)
    rows, next_cursor = await sessions.active_sessions(uow, user_id, limit, cursor)
    return Page(items=[SessionOut.of(s) for s in rows], next_cursor=next_cursor)


@router.delete("/users/{user_id}/sessions/{session_id}", status_code=204, summary="End one of a user's sessions.")
async def revoke_user_session(user_id: UUID, session_id: UUID, uow: UoW, _: Admin) -> Response:
    await accounts.get_staff(uow, user_id)
    session = await sessions.revoke_session(uow, session_id, "revoked_by_admin")
    if session is None or session.account_id != user_id:
        raise NotFound("session", session_id)
    await uow.commit()
    return Response(status_code=204)
