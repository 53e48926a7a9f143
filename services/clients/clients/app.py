"""Composition of the clients service. Run with `uvicorn --factory clients.app:create`."""
from fastapi import FastAPI

from clients import api, client_types_api, people_api, record_api
from clients.handlers import HANDLERS
from shared.app import Service, create_app
from shared.clock import Clock
from shared.settings import ServiceSettings


class ClientsSettings(ServiceSettings):
    service_name: str = "clients"


SERVICE = Service(
    name="clients",
    title="Colo clients",
    description="Clients (private, professional, prospect) and the participants they book for.",
    routers=[record_api.router, api.router, client_types_api.router, people_api.router],
    handlers=HANDLERS,
)


def create(settings: ClientsSettings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_app(SERVICE, settings or ClientsSettings(), clock)
