from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from notifications.app import NotificationsSettings, create
from notifications.mail_templates import shipped_versions
from notifications.tables import Contact, Departure, Order, TemplateVersion
from shared.clock import Clock
from shared.testing import (
    ARCHIVE_COPY,
    Infra,
    SmtpSink,
    eventually,
    free_port,
    migrated_database,
    running,
    service_settings,
    truncate_all,
)


@pytest.fixture(scope="session")
def notifications_db(infra: Infra) -> str:
    return migrated_database(infra, "notifications")


@pytest.fixture
async def projections(notifications_db: str):
    """Wait until a client, departure or order event has been applied, so that a test controls what arrives first."""
    engine = create_async_engine(notifications_db)
    sessions = async_sessionmaker(engine)

    async def stored(table: type[Contact] | type[Departure] | type[Order], key: object, **expected: object):
        async def applied():
            async with sessions() as session:
                row = await session.get(table, key)
                return row is not None and all(getattr(row, k) == v for k, v in expected.items())

        await eventually(applied)

    yield stored
    await engine.dispose()


async def shipped_templates(database_url: str) -> None:
    """Emptied between tests, the templates are back as the migration left them: their shipped versions."""
    engine = create_async_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(insert(TemplateVersion), shipped_versions(datetime.now(UTC)))
    await engine.dispose()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def start_notifications(infra: Infra, notifications_db: str):
    """Run the service against an SMTP port of the test's choosing, sending every 0.2 s, as one replica or more
    sharing a clock. Billing is not running: a mail's document is linked at once rather than attached."""

    @asynccontextmanager
    async def start(smtp_port: int, clock: Clock | None = None, replicas: int = 1, **overrides: object
                    ) -> AsyncIterator[httpx.AsyncClient]:
        await truncate_all(notifications_db)
        await shipped_templates(notifications_db)
        settings = service_settings(
            NotificationsSettings, infra, "notifications", notifications_db, smtp_port=smtp_port,
            job_interval_seconds=0.2, send_retry_seconds=0.1, archive_copy_address=ARCHIVE_COPY,
            billing_url=f"http://127.0.0.1:{free_port()}", attachment_wait_seconds=0, **overrides,
        )
        async with AsyncExitStack() as stack:
            clients = [await stack.enter_async_context(running(create(settings, clock))) for _ in range(replicas)]
            yield clients[0]

    return start


@pytest.fixture
async def notifications(start_notifications, smtp: SmtpSink) -> AsyncIterator[httpx.AsyncClient]:
    async with start_notifications(smtp.port) as client:
        yield client
