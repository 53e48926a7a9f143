"""Logging in and out at identity, for staff and families alike: the tokens go into the session, never to the
browser."""
from dataclasses import dataclass

from fastapi import Request

from web.i18n import translator
from web.services import Services
from web.sessions import Session


@dataclass
class Refused:
    message: str
    needs_totp: bool = False


async def log_in(request: Request, email: str, password: str, totp: str, accept) -> Session | Refused:
    """Ask identity for tokens; `accept(session)` says whether this kind of account may use this door. On success
    the session gets a new id (the middleware sends it)."""
    _ = translator(request.state.language)
    services: Services = request.app.state.services
    form = {"grant_type": "password", "username": email, "password": password}
    if totp:
        form["totp"] = totp
    answer = await services.public("POST", "identity", "/token", data=form)
    if answer.status_code != 200:
        body = answer.json() if answer.headers.get("content-type", "").endswith("json") else {}
        code = body.get("code")
        if code == "invalid_credentials" or answer.status_code == 422:
            return Refused(_("E-mail ou mot de passe incorrect."))
        if code == "totp_required":
            return Refused(_("Saisissez le code de votre application d'authentification."), needs_totp=True)
        return Refused(body.get("detail") or _("E-mail ou mot de passe incorrect."))
    tokens = answer.json()
    session = request.app.state.sessions.renew(request.state.session)
    session.signed_in(tokens["access_token"], tokens.get("refresh_token"))
    if not accept(session):
        request.app.state.sessions.end(session)
        await services.public("POST", "identity", "/revoke", data={"token": tokens.get("refresh_token") or ""})
        return Refused("")
    request.state.session = session
    return session


async def log_out(request: Request) -> None:
    session: Session = request.state.session
    services: Services = request.app.state.services
    if session.refresh_token:
        await services.public("POST", "identity", "/revoke", data={"token": session.refresh_token})
    request.app.state.sessions.end(session)
