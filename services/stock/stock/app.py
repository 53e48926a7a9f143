"""Composition of the stock service. Run with `uvicorn --factory stock.app:create`."""
from decimal import Decimal

from fastapi import FastAPI
from pydantic import Field

from shared.app import Service, create_app
from shared.clock import Clock
from shared.settings import ServiceSettings
from stock import api
from stock.handlers import HANDLERS
from stock.jobs import JOBS


class StockSettings(ServiceSettings):
    service_name: str = "stock"
    return_city_variation_percent: Decimal = Field(
        Decimal(20), ge=0, le=100,
        description="The return-city variation a new master entity starts with; then its setting applies (seed 001).",
    )


SERVICE = Service(
    name="stock",
    title="Colo stock",
    description="Stays, departures and their places: capacity, held, overdue, confirmed, free.",
    routers=[api.router],
    handlers=HANDLERS,
    jobs=JOBS,
)


def create(settings: StockSettings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_app(SERVICE, settings or StockSettings(), clock)
