"""Composition of the clients service. Run with `uvicorn --factory clients.app:create`."""
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from clients import api, birthdays_api, client_types_api, gdpr_api, history, imports_api, lifecycle_api, segments_api
from clients.handlers import HANDLERS
from shared.app import Service, create_app
from shared.auth import decode_token
from shared.clock import Clock
from shared.problems import Problem
from shared.settings import ServiceSettings


class ClientsSettings(ServiceSettings):
    service_name: str = "clients"


SERVICE = Service(
    name="clients",
    title="Colo clients",
    description="Clients (private, professional, prospect) and the participants they book for.",
    routers=[api.router, client_types_api.router, lifecycle_api.router, gdpr_api.router,
             birthdays_api.router, segments_api.router, imports_api.router],
    handlers=HANDLERS,
)


def create(settings: ClientsSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or ClientsSettings()
    app = create_app(SERVICE, settings, clock)
    history.use_clock(app.state.clock)

    @app.middleware("http")
    async def act_for_the_caller(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """The account history names who made a change: the token's subject, checked again by the route."""
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not credentials:
            return await call_next(request)
        try:
            principal = decode_token(settings.jwt_secret, credentials)
        except Problem:
            return await call_next(request)
        with history.acting_as(history.Actor(principal.sub, principal.role)):
            return await call_next(request)

    return app
