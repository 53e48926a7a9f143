"""The five services as separate processes on real PostgreSQL databases, RabbitMQ and an SMTP server."""
from collections.abc import AsyncIterator

import pytest

from shared.testing import Infra, Platform, start_platform


@pytest.fixture(scope="session")
async def platform(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Platform]:
    async with start_platform(infra, tmp_path_factory.mktemp("platform")) as started:
        yield started
