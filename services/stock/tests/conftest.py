from collections.abc import AsyncIterator

import httpx
import pytest

from shared.testing import Infra, migrated_database, running, service_settings, truncate_all
from stock.app import StockSettings, create


@pytest.fixture(scope="session")
def stock_db(infra: Infra) -> str:
    return migrated_database(infra, "stock")


@pytest.fixture
async def stock(infra: Infra, stock_db: str) -> AsyncIterator[httpx.AsyncClient]:
    await truncate_all(stock_db)
    async with running(create(service_settings(StockSettings, infra, "stock", stock_db))) as client:
        yield client
