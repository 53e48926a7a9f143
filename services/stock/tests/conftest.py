import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from shared.db import InboxRow
from shared.events import Envelope
from shared.testing import Infra, eventually, migrated_database, running, service_settings, truncate_all
from stock.app import StockSettings, create


@pytest.fixture(scope="session")
def stock_db(infra: Infra) -> str:
    return migrated_database(infra, "stock")


class FakeOrders:
    """Orders' answer to "which of these orders exist", at the gateway: the orders it was told of."""

    def __init__(self) -> None:
        self.existing: set[uuid.UUID] = set()
        self.asked: list[list[uuid.UUID]] = []

    async def known(self, order_ids) -> set[uuid.UUID]:
        self.asked.append(list(order_ids))
        return self.existing & set(order_ids)

    async def close(self) -> None:
        return None


@pytest.fixture
def orders() -> FakeOrders:
    return FakeOrders()


@pytest.fixture
async def stock(infra: Infra, stock_db: str, orders: FakeOrders) -> AsyncIterator[httpx.AsyncClient]:
    await truncate_all(stock_db)
    async with running(create(service_settings(StockSettings, infra, "stock", stock_db), orders=orders)) as client:
        yield client


@pytest.fixture
async def applied(stock_db: str):
    """Wait until the service has applied (or skipped as stale) a published event: its inbox row is there."""
    engine = create_async_engine(stock_db)

    async def wait(envelope: Envelope) -> None:
        async def recorded() -> bool:
            async with engine.connect() as connection:
                found = await connection.scalar(select(InboxRow.event_id).where(InboxRow.event_id == envelope.id))
            return found is not None

        await eventually(recorded)

    yield wait
    await engine.dispose()
