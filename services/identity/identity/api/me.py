"""What a logged-in user does for itself: change its password, set up its second factor, see its sessions."""
from uuid import UUID

from fastapi import APIRouter, Request, Response

from identity import accounts, sessions
from identity.api.tokens import Credentials, session_of
from identity.schemas import CodeIn, EnrolmentOut, PasswordChangeIn, SessionOut, UserOut
from shared.app import UoW
from shared.auth import STAFF_ROLES, CurrentPrincipal, Principal
from shared.pagination import Cursor, Limit, Page
from shared.problems import Problem

router = APIRouter(tags=["me"])


def _account_id(who: Principal) -> UUID:
    try:
        return UUID(who.sub)
    except ValueError as error:
        raise Problem(403, "forbidden", "Forbidden", "This token is not a user's.") from error


def _staff_id(who: Principal) -> UUID:
    if who.role not in STAFF_ROLES:
        raise Problem(403, "forbidden", "Forbidden", "The second factor is for staff users.")
    return _account_id(who)


@router.put("/me/password", status_code=204,
            summary="Change one's password (the current one required); every other session ends.",
            responses={403: {"description": "wrong_password"}})
async def change_password(body: PasswordChangeIn, request: Request, uow: UoW, who: CurrentPrincipal,
                          credentials: Credentials) -> Response:
    await accounts.change_password(uow, _account_id(who), body.current_password, body.new_password,
                                   await session_of(request, credentials))
    await uow.commit()
    return Response(status_code=204)


@router.post("/me/second-factor", status_code=201,
             summary="Enrol an authenticator app: its secret, required at login once a code confirms it.")
async def enrol(uow: UoW, who: CurrentPrincipal) -> EnrolmentOut:
    secret, uri = await accounts.enrol_second_factor(uow, _staff_id(who))
    await uow.commit()
    return EnrolmentOut(secret=secret, otpauth_uri=uri)


@router.post("/me/second-factor/confirmation", summary="Confirm the enrolment with a code: required from now on.",
             responses={409: {"description": "totp_invalid, second_factor_not_enrolled, second_factor_enabled"}})
async def confirm(body: CodeIn, uow: UoW, who: CurrentPrincipal) -> UserOut:
    account = await accounts.confirm_second_factor(uow, _staff_id(who), body.code)
    await uow.commit()
    return UserOut.of(account)


@router.get("/me/sessions", summary="One's open sessions (each login, until it expires or is revoked).")
async def my_sessions(uow: UoW, who: CurrentPrincipal, limit: Limit = 50, cursor: Cursor = None) -> Page[SessionOut]:
    rows, next_cursor = await sessions.active_sessions(uow, _account_id(who), limit, cursor)
    return Page(items=[SessionOut.of(s) for s in rows], next_cursor=next_cursor)
