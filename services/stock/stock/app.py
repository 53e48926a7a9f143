"""Composition of the stock service. Run with `uvicorn --factory stock.app:create`."""
from dataclasses import replace
from decimal import Decimal

from fastapi import FastAPI
from pydantic import Field

from shared.app import Service, create_app
from shared.clock import Clock
from shared.http import service_client
from shared.settings import ServiceSettings
from stock import api
from stock.gateways import HttpOrders, Orders
from stock.handlers import HANDLERS
from stock.jobs import JOBS


class StockSettings(ServiceSettings):
    REQUIRED = (*ServiceSettings.REQUIRED, "service_client_secret")
    service_name: str = "stock"
    return_city_variation_percent: Decimal = Field(
        Decimal(20), ge=0, le=100,
        description="The return-city variation a new master entity starts with; then its setting applies (seed 001).",
    )
    orders_url: str = Field("http://127.0.0.1:8002",
                            description="Asked which orders exist, for the holds of orders it does not know.")


SERVICE = Service(
    name="stock",
    title="Colo stock",
    description="Stays, departures and their places: capacity, held, overdue, confirmed, free.",
    routers=[api.router],
    handlers=HANDLERS,
    jobs=JOBS,
)


def orders_of(settings: StockSettings) -> HttpOrders:
    return HttpOrders(service_client(settings.orders_url, settings))


def create(settings: StockSettings | None = None, clock: Clock | None = None, orders: Orders | None = None) -> FastAPI:
    settings = settings or StockSettings()
    orders = orders or orders_of(settings)

    async def close_orders(_: FastAPI) -> None:
        await orders.close()

    app = create_app(replace(SERVICE, on_stop=close_orders), settings, clock)
    app.state.orders = orders
    return app
