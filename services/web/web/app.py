"""Composition of the web application. Run with `uvicorn --factory web.app:create`.

No database and no bus: its pages come from the services' APIs, called with the user's token."""
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.logging import configure_logging
from web.api import (back_office_clients, back_office_dashboard, back_office_orders, back_office_session,
                     back_office_stock, passwords, portal)
from web.i18n import COOKIE as LANGUAGE_COOKIE
from web.i18n import language_of, translator
from web.pages import LoginPage, render, see_other
from web.services import Refusal, Services, SignInRequired, Unavailable
from web.sessions import COOKIE, Sessions
from web.settings import WebSettings

STATIC = Path(__file__).parent / "static"
WITHOUT_SESSION = ("/static/", "/healthz", "/readyz")
"""Probes and files open no session: a monitor polling every few seconds would otherwise fill the memory."""


def create(settings: WebSettings | None = None) -> FastAPI:
    settings = settings or WebSettings()
    settings.require()
    configure_logging("web", settings.log_level, settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        await app.state.services.close()

    app = FastAPI(title="Colo web", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.sessions = Sessions(settings.session_idle_minutes * 60)
    app.state.services = Services(settings.api_url, settings.http_timeout_seconds, settings.service_urls)

    @app.middleware("http")
    async def session_and_language(request: Request, call_next) -> Response:
        if request.url.path.startswith(WITHOUT_SESSION):
            return await call_next(request)
        sessions: Sessions = request.app.state.sessions
        sent = request.cookies.get(COOKIE)
        request.state.session = sessions.get(sent) or sessions.new()
        request.state.language = language_of(request.cookies.get(LANGUAGE_COOKIE),
                                             request.headers.get("Accept-Language"))
        response = await call_next(request)
        current = request.state.session.id if sessions.alive(request.state.session.id) else None
        if current is None:
            response.delete_cookie(COOKIE, path="/")
        elif current != sent:  # a new visitor, or a new id given at login
            response.set_cookie(COOKIE, current, httponly=True, secure=settings.secure_cookies, samesite="lax",
                                path="/")
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["Content-Language"] = request.state.language
        return response

    @app.exception_handler(LoginPage)
    async def log_in_first(request: Request, error: LoginPage) -> Response:
        target = f"{error.url}?suite={request.url.path}"
        if request.headers.get("HX-Request"):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return see_other(target)

    @app.exception_handler(SignInRequired)
    async def signed_out(request: Request, _: SignInRequired) -> Response:
        request.app.state.sessions.end(request.state.session)
        return await log_in_first(request, LoginPage("/bo/connexion" if request.url.path.startswith("/bo")
                                                     else "/connexion"))

    @app.exception_handler(Unavailable)
    async def unavailable(request: Request, error: Unavailable) -> HTMLResponse:
        _ = translator(request.state.language)
        return render(request, "error.html", status_code=503, title=_("Service indisponible"),
                      message=_("Le service {service} ne répond pas ; réessayez dans un instant.",
                                service=error.service))

    @app.exception_handler(Refusal)
    async def refused(request: Request, error: Refusal) -> HTMLResponse:
        """A page whose data the service refuses: unknown, or not this user's (the same answer for both)."""
        _ = translator(request.state.language)
        if error.status in (403, 404):
            return render(request, "error.html", status_code=404, title=_("Page introuvable"),
                          message=_("Cette page n'existe pas ou ne vous est pas accessible."))
        return render(request, "error.html", status_code=error.status,
                      title=_("Vous n'avez pas le droit de faire cela."), message=error.detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if not hasattr(request.state, "session"):  # a file or a probe: no page around it
            return PlainTextResponse(str(error.detail), status_code=error.status_code)
        _ = translator(request.state.language)
        if error.detail == "csrf":
            return render(request, "error.html", status_code=403, title=_("Vous n'avez pas le droit de faire cela."),
                          message=_("Votre session a expiré : rechargez la page et recommencez."))
        return render(request, "error.html", status_code=error.status_code, title=_("Page introuvable"),
                      message=_("Cette page n'existe pas ou ne vous est pas accessible."))

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "service": "web"})

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        return JSONResponse({"status": "ready"})

    @app.get("/langue/{language}", include_in_schema=False)
    async def choose_language(language: str, suite: str = "/") -> Response:
        response = see_other(suite if suite.startswith("/") and not suite.startswith("//") else "/")
        if language in ("fr", "en"):
            response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, samesite="lax", path="/")
        return response

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (back_office_session, back_office_dashboard, back_office_clients, back_office_orders,
                   back_office_stock, passwords, portal):
        app.include_router(module.router)
    return app
