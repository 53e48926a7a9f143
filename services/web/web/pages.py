"""What every page needs: the session, the CSRF check, the templates with the user's language, and the pages
shown when a service is down or a user must log in again."""
import re
import secrets
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import httpx
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from web.i18n import translator
from web.services import Refusal, Services
from web.sessions import Session

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
NOTICES = {"client": "Client enregistré.", "reservation": "Réservation enregistrée.",
           "reglement": "Règlement enregistré.", "participant": "Participant ajouté.",
           "paiement": "Paiement reçu : il apparaît ici dès que le prestataire l'a confirmé.",
           "abandon": "Paiement abandonné : rien n'a été débité.", "annulation": "Commande annulée.",
           "sante": "Fiche sanitaire enregistrée."}
"""What a page says after a form (`?ok=<key>`): fixed sentences, never text taken from the address."""
CSRF_FIELD, CSRF_HEADER = "csrf_token", "X-CSRF-Token"
TIME_ZONE = ZoneInfo("Europe/Paris")
"""The organiser's time zone, in which dates are shown."""
STAFF = frozenset({"admin", "operator", "accountant", "manager"})
SALES = frozenset({"admin", "operator", "manager"})
"""Who may create clients, book and record payments (the services' x-roles): the others are not shown them."""


def money(value: Any) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value or "")
    whole, cents = f"{amount:,.2f}".split(".")
    return whole.replace(",", "\u202f") + "," + cents + "\u00a0€"


def day(value: str | None) -> str:
    if not value:
        return ""
    if "T" in value:
        return datetime.fromisoformat(value).astimezone(TIME_ZONE).strftime("%d/%m/%Y %H:%M")
    return date.fromisoformat(value).strftime("%d/%m/%Y")


def fill_bars(stock: dict) -> list[tuple[str, int, int]]:
    """A departure's places as (bucket, x, width) on a 300-wide SVG bar: confirmed, held, overdue, then free."""
    capacity = max(stock["capacity"], 1)
    bars, x = [], 0
    for name in ("confirmed", "held", "overdue", "free"):
        width = round(300 * stock[name] / capacity)
        bars.append((name, x, width))
        x += width
    return bars


TEMPLATES.env.filters["money"] = money
TEMPLATES.env.filters["day"] = day
TEMPLATES.env.globals["fill_bars"] = fill_bars


def session_of(request: Request) -> Session:
    return request.state.session


def services_of(request: Request) -> Services:
    return request.app.state.services


CurrentSession = Annotated[Session, Depends(session_of)]
Api = Annotated[Services, Depends(services_of)]


async def csrf_checked(request: Request) -> None:
    """Every state-changing request carries the session's CSRF token: a form field, or htmx's header."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        sent = str((await request.form()).get(CSRF_FIELD, ""))
    if not secrets.compare_digest(sent.encode(), request.state.session.csrf.encode()):
        raise HTTPException(403, "csrf")


def staff_session(request: Request) -> Session:
    session: Session = request.state.session
    if not session.staff:
        raise LoginPage("/bo/connexion")
    return session


def sales_session(request: Request) -> Session:
    """Creating clients, booking, recording payments: the others are not shown these pages."""
    session = staff_session(request)
    if session.role not in SALES:
        raise HTTPException(404)
    return session


def family_session(request: Request) -> Session:
    session: Session = request.state.session
    if not session.family:
        raise LoginPage("/connexion")
    return session


Staff = Annotated[Session, Depends(staff_session)]
Seller = Annotated[Session, Depends(sales_session)]
Family = Annotated[Session, Depends(family_session)]


class LoginPage(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    session: Session = request.state.session
    language = request.state.language
    return TEMPLATES.TemplateResponse(request, template, {
        "session": session, "csrf": session.csrf, "lang": language, "_": translator(language),
        "notice": NOTICES.get(request.query_params.get("ok", "")), "STAFF": STAFF, "SALES": SALES, **context,
    }, status_code=status_code)


def see_other(url: str) -> Response:
    """After a form: a redirect the browser follows with a GET (also for htmx, which follows it itself)."""
    return RedirectResponse(url, status_code=303)


def form_values(form: Any, *names: str) -> dict[str, str]:
    return {name: str(form.get(name, "")).strip() for name in names}


def pdf_download(answer: httpx.Response) -> Response:
    """A service's PDF, saved by the browser under the service's file name rather than opened in a tab; the
    service's refusal (another family's document: not found) shown as any other."""
    if answer.status_code != 200:
        raise Refusal(answer)
    name = re.search(r'filename="?([^";]+)', answer.headers.get("Content-Disposition", ""))
    return Response(answer.content, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name[1] if name else "document.pdf"}"'})
