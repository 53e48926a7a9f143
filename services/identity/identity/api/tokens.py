"""The OAuth2 endpoints: `POST /token` (password, refresh_token and client_credentials grants), `POST /revoke`
(RFC 7009), `POST /logout` and `GET /userinfo`.

Their refusals are problem details that also carry RFC 6749's `error` and `error_description`, so that both a Colo
client and an OAuth2 library read them.
"""
import base64
import binascii
from typing import Annotated, Literal
from urllib.parse import unquote
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials

from identity import sessions
from identity.domain.accounts import LoginRefused
from identity.schemas import TokenOut, UserInfoOut
from identity.sessions import InvalidGrant, SecondFactorRequired
from shared.app import UoW
from shared.auth import CurrentPrincipal, bearer, verifier_of
from shared.problems import MEDIA_TYPE, Problem

router = APIRouter(tags=["tokens"])
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
FormText = Annotated[str | None, Form(max_length=4000, pattern=r"^[^\x00]*$")]


def _refusal(status: int, code: str, error: str, detail: str, retry_after: int | None = None) -> JSONResponse:
    body = {"type": f"https://colo.dev/problems/{code}", "title": "Token refused", "status": status, "detail": detail,
            "code": code, "error": error, "error_description": detail}
    headers = {**NO_STORE, **({"Retry-After": str(retry_after)} if retry_after else {})}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def missing(*names: str, what: str = "This grant") -> Problem:
    return Problem(422, "invalid_request", "Invalid request", f"{what} needs {', '.join(names)}.",
                   errors=[{"field": f"body.{name}", "message": "Field required", "type": "missing"} for name in names])


def one_of(*forms: str) -> Problem:
    """A body that mixes what two different requests send."""
    detail = f"Send {' or '.join(forms)}, not both."
    return Problem(422, "invalid_request", "Invalid request", detail,
                   errors=[{"field": "body", "message": detail, "type": "value_error"}])


def _basic_client(request: Request) -> tuple[str | None, str | None]:
    """RFC 6749 2.3.1: a client may authenticate with HTTP Basic, its id and secret form-urlencoded."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        client_id, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    return unquote(client_id), unquote(secret)


async def session_of(request: Request, credentials: HTTPAuthorizationCredentials | None) -> UUID | None:
    """The session an access token was given for; None for a service's token, which belongs to none."""
    if credentials is None:
        return None
    sid = (await verifier_of(request.app).claims(credentials.credentials)).get("sid")
    try:
        return UUID(str(sid)) if sid else None
    except ValueError:
        return None


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


@router.post("/token", summary="Log in, renew a session, or give a service its token (OAuth2, form-encoded).",
             response_model=TokenOut,
             responses={400: {"description": "invalid_credentials, totp_required, refresh_token_reused, ..."},
                        401: {"description": "invalid_client"},
                        403: {"description": "account_disabled; for a family (its `detail` to show it): "
                                             "email_not_verified, account_inactive (with the client's own message), "
                                             "client_blocked, front_office_account_forbidden, "
                                             "front_office_ordering_forbidden"},
                        429: {"description": "account_locked (Retry-After says for how long)"}})
async def token(
    request: Request, uow: UoW,
    grant_type: Annotated[Literal["password", "refresh_token", "client_credentials"], Form()],
    username: FormText = None, password: FormText = None, totp: FormText = None, refresh_token: FormText = None,
    client_id: FormText = None, client_secret: FormText = None,
) -> JSONResponse:
    settings, keys = request.app.state.settings, request.app.state.keys
    try:
        if grant_type == "client_credentials":
            basic_id, basic_secret = _basic_client(request)
            client_id, client_secret = basic_id or client_id, basic_secret or client_secret
            if not client_id or not client_secret:
                raise missing("client_id", "client_secret")
            principal = sessions.service_principal(settings, client_id, client_secret)
            issued = sessions.access_token(keys, settings, principal, azp=client_id)
            return JSONResponse(TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)
                                .model_dump(exclude_none=True), headers=NO_STORE)
        if grant_type == "password":
            if not username or not password:
                raise missing(*[n for n, v in (("username", username), ("password", password)) if not v])
            account, session, renewal = await sessions.log_in(uow, settings, username, password, totp,
                                                              request.headers.get("User-Agent", ""))
        else:
            if not refresh_token:
                raise missing("refresh_token")
            account, session, renewal = await sessions.refresh(uow, settings, refresh_token)
        issued = sessions.access_token(keys, settings, sessions.principal_of(account), sid=str(session.id))
        await uow.commit()
    except InvalidGrant as refused:
        await uow.commit()
        if refused.code == "invalid_client":
            return _refusal(401, refused.code, "invalid_client", refused.message)
        return _refusal(400, refused.code, "invalid_grant", refused.message)
    except SecondFactorRequired:
        await uow.commit()
        return _refusal(400, "totp_required", "invalid_grant",
                        "This account has a second factor: send the code of the authenticator app as `totp`.")
    except LoginRefused as refused:
        await uow.commit()
        status = 429 if refused.code == "account_locked" else 403
        return _refusal(status, refused.code, "invalid_grant", refused.message, refused.retry_after)
    return JSONResponse(TokenOut(access_token=issued.access_token, expires_in=issued.expires_in,
                                 refresh_token=renewal).model_dump(), headers=NO_STORE)


@router.post("/revoke", status_code=200, summary="Revoke a refresh token and its session (RFC 7009).")
async def revoke(uow: UoW, token: Annotated[str, Form(min_length=1, max_length=4000)],
                 token_type_hint: FormText = None) -> Response:
    """Always 200, whether the token was known or not (RFC 7009 2.2). An access token is not revoked: it lives
    only minutes."""
    await sessions.revoke_refresh_token(uow, token)
    await uow.commit()
    return Response(status_code=200, headers=NO_STORE)


@router.post("/logout", status_code=204, summary="End the session the access token was given for.")
async def logout(request: Request, uow: UoW, who: CurrentPrincipal, credentials: Credentials) -> Response:
    session_id = await session_of(request, credentials)
    if session_id is None:
        raise Problem(409, "no_session", "Action refused", "This token belongs to no session (a service's token).")
    session = await sessions.revoke_session(uow, session_id, "logout")
    if session is not None and str(session.account_id) != who.sub:
        raise Problem(403, "forbidden", "Forbidden", "This session is not yours.")
    await uow.commit()
    return Response(status_code=204)


@router.get("/userinfo", summary="Who the access token speaks for (OpenID Connect).")
async def userinfo(who: CurrentPrincipal) -> UserInfoOut:
    return UserInfoOut(sub=who.sub, email=who.email, name=who.name, role=who.role, perms=who.perms,
                       client_id=who.client_id, guardian_id=who.guardian_id)
