import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from identity.app import IdentitySettings, create
from shared.clock import FrozenClock
from shared.db import InboxRow
from shared.events import Envelope
from shared.testing import TEST_KEY, Infra, eventually, migrated_database, running, service_settings, truncate_all

PASSWORD = "correct horse battery"
SERVICE_SECRET = "orders-client-secret-for-the-identity-tests"


@pytest.fixture(scope="session")
def identity_db(infra: Infra) -> str:
    return migrated_database(infra, "identity")


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "signing.pem"
    path.write_bytes(TEST_KEY.pem())
    return path


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime.now(UTC))


@pytest.fixture
async def identity(infra: Infra, identity_db: str, key_file: Path, clock: FrozenClock
                   ) -> AsyncIterator[httpx.AsyncClient]:
    await truncate_all(identity_db)
    settings = service_settings(
        IdentitySettings, infra, "identity", identity_db, signing_key_files=[key_file], lockout_attempts=3,
        lockout_minutes=15, service_client_hashes={"orders": hashlib.sha256(SERVICE_SECRET.encode()).hexdigest()})
    async with running(create(settings, clock)) as client:
        del client.headers["Authorization"]
        yield client


async def make_user(identity: httpx.AsyncClient, admin: dict[str, str], email: str = "claire@colo.local",
                    role: str = "operator", **extra) -> dict:
    response = await identity.post("/users", headers=admin, json={
        "email": email, "display_name": "Claire Dupont", "role": role, "password": PASSWORD, **extra})
    assert response.status_code == 201, response.text
    return response.json()


async def log_in(identity: httpx.AsyncClient, email: str = "claire@colo.local", password: str = PASSWORD,
                 **form) -> httpx.Response:
    return await identity.post("/token", data={"grant_type": "password", "username": email, "password": password,
                                               **form})


@pytest.fixture
async def applied(identity_db: str):
    """Wait until identity has applied (or skipped as stale) a published event: its inbox row is there."""
    engine = create_async_engine(identity_db)

    async def wait(envelope: Envelope) -> None:
        async def recorded() -> bool:
            async with engine.connect() as connection:
                return await connection.scalar(select(InboxRow.event_id).where(InboxRow.event_id == envelope.id))

        await eventually(recorded)

    yield wait
    await engine.dispose()
