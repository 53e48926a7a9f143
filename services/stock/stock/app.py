"""Composition of the stock service. Run with `uvicorn --factory stock.app:create`."""
from fastapi import FastAPI

from shared.app import Service, create_app
from shared.clock import Clock
from shared.settings import ServiceSettings
from stock import api
from stock.handlers import HANDLERS


class StockSettings(ServiceSettings):
    service_name: str = "stock"


SERVICE = Service(
    name="stock",
    title="Colo stock",
    description="Stays, departures and their places: capacity, held, overdue, confirmed, free.",
    routers=[api.router],
    handlers=HANDLERS,
)


def create(settings: StockSettings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_app(SERVICE, settings or StockSettings(), clock)
