"""Composition of the clients service. Run with `uvicorn --factory clients.app:create`."""
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from cryptography.fernet import Fernet
from fastapi import FastAPI, Request, Response
from pydantic import Field, SecretStr

from clients import (
    api,
    birthdays_api,
    categories_api,
    client_types_api,
    consents_api,
    custom_fields_api,
    gdpr_api,
    history,
    imports_api,
    lifecycle_api,
    links_api,
    newsletter_api,
    participants_api,
    people_api,
    profile_api,
    record_api,
    referral_api,
    segments_api,
    wallet_api,
)
from clients.handlers import HANDLERS
from clients.holdings import Holdings, HttpHoldings
from shared.app import Service, create_app
from shared.auth import verifier_of
from shared.clock import Clock
from shared.http import ServiceToken, service_client
from shared.problems import Problem
from shared.settings import ServiceSettings


class ClientsSettings(ServiceSettings):
    REQUIRED = (*ServiceSettings.REQUIRED, "health_data_keys", "service_client_secret")
    service_name: str = "clients"
    health_data_keys: list[SecretStr] = Field(
        [], description="Fernet keys of participants' health data, as a JSON list: the first encrypts, all decrypt.")
    referral_max: int = Field(10, ge=0, description="How many clients one client may refer.")
    newsletter_link_hours: int = Field(48, ge=1, description="How long a newsletter confirmation link lasts.")
    supervision_code: SecretStr | None = Field(
        None, description="Grants links between clients (markup or discount); unset disables linking.")
    orders_url: str = Field("http://127.0.0.1:8002", description="Read for a client's portability export.")
    billing_url: str = Field("http://127.0.0.1:8003", description="Read for a client's portability export.")
    notifications_url: str = Field("http://127.0.0.1:8004", description="Read for a client's portability export.")

    def development_value(self, name: str) -> Any:
        if name == "health_data_keys":
            return [SecretStr(Fernet.generate_key().decode())]
        return super().development_value(name)


SERVICE = Service(
    name="clients",
    title="Colo clients",
    description="Clients (private, professional, prospect) and the participants they book for.",
    routers=[record_api.router, api.router, client_types_api.router, people_api.router,
             participants_api.router, wallet_api.router, custom_fields_api.router,
             consents_api.router, referral_api.router,
             links_api.router, lifecycle_api.router, gdpr_api.router, profile_api.router,
             birthdays_api.router, categories_api.router, segments_api.router, imports_api.router,
             newsletter_api.router],
    handlers=HANDLERS,
)


def create(settings: ClientsSettings | None = None, clock: Clock | None = None,
           holdings: Holdings | None = None) -> FastAPI:
    settings = settings or ClientsSettings()
    token = ServiceToken(settings)
    holdings = holdings or HttpHoldings({name: service_client(getattr(settings, f"{name}_url"), settings, token)
                                         for name in ("orders", "billing", "notifications")})

    async def close_holdings(_: FastAPI) -> None:
        await holdings.close()

    app = create_app(replace(SERVICE, on_stop=close_holdings), settings, clock)
    app.state.holdings = holdings
    history.use_clock(app.state.clock)

    @app.middleware("http")
    async def act_for_the_caller(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """The account history names who made a change: the token's subject with its name and e-mail, checked
        again by the route."""
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not credentials:
            return await call_next(request)
        try:
            principal = await verifier_of(request.app).verify(credentials)
        except Problem:
            return await call_next(request)
        with history.acting_as(history.Actor(principal.sub, principal.role, principal.name, principal.email)):
            return await call_next(request)

    return app
