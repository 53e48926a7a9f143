from collections.abc import AsyncIterator

import httpx
import pytest

from clients.app import ClientsSettings, create
from shared.testing import Infra, migrated_database, running, service_settings, truncate_all


@pytest.fixture(scope="session")
def clients_db(infra: Infra) -> str:
    return migrated_database(infra, "clients")


@pytest.fixture
async def clients(infra: Infra, clients_db: str) -> AsyncIterator[httpx.AsyncClient]:
    await truncate_all(clients_db)
    async with running(create(service_settings(ClientsSettings, infra, "clients", clients_db))) as client:
        yield client
