from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from clients.app import ClientsSettings, create
from shared.db import InboxRow
from shared.events import Envelope
from shared.testing import Infra, eventually, migrated_database, running, service_settings, truncate_all


@pytest.fixture(scope="session")
def clients_db(infra: Infra) -> str:
    return migrated_database(infra, "clients")


@pytest.fixture
async def clients(infra: Infra, clients_db: str) -> AsyncIterator[httpx.AsyncClient]:
    await truncate_all(clients_db)
    async with running(create(service_settings(ClientsSettings, infra, "clients", clients_db))) as client:
        yield client


@pytest.fixture
async def applied(clients_db: str):
    """Wait until the service has applied (or skipped as stale) a published event: its inbox row is there."""
    engine = create_async_engine(clients_db)

    async def wait(envelope: Envelope) -> None:
        async def recorded() -> bool:
            async with engine.connect() as connection:
                found = await connection.scalar(select(InboxRow.event_id).where(InboxRow.event_id == envelope.id))
            return found is not None

        await eventually(recorded)

    yield wait
    await engine.dispose()
