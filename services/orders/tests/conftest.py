import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest

from orders.app import OrdersSettings, create
from orders.gateways import ClientInfo, DepartureInfo
from shared.clock import FrozenClock
from shared.testing import Infra, migrated_database, running, service_settings, truncate_all


class FakeDirectory:
    """Clients and departures as the other services would answer, without running them."""

    def __init__(self) -> None:
        self.clients: dict[uuid.UUID, ClientInfo] = {}
        self.departures: dict[uuid.UUID, DepartureInfo] = {}

    def add_family(self, children: int = 1, blocked: bool = False) -> ClientInfo:
        client_id = uuid.uuid4()
        participants = {
            uuid.uuid4(): {"last_name": "Martin", "first_name": f"Enfant{i}", "birth_date": date(2015, 3, i + 1)}
            for i in range(children)
        }
        client = ClientInfo(client_id, "Mme MARTIN Claire", blocked,
                            {"client_id": str(client_id), "name": "Mme MARTIN Claire",
                             "address_lines": ["3 rue des Lilas"], "postal_code": "69003", "city": "Lyon",
                             "country": "FR", "email": "claire.martin@example.fr"}, participants)
        self.clients[client_id] = client
        return client

    def add_departure(self, price: str = "850.00") -> DepartureInfo:
        departure = DepartureInfo(uuid.uuid4(), "Aventure en Ardèche", date(2027, 7, 10), date(2027, 7, 24),
                                  Decimal(price))
        self.departures[departure.id] = departure
        return departure

    async def client(self, client_id: uuid.UUID) -> ClientInfo | None:
        return self.clients.get(client_id)

    async def departure(self, departure_id: uuid.UUID) -> DepartureInfo | None:
        return self.departures.get(departure_id)

    async def close(self) -> None:
        """Nothing to release."""


@pytest.fixture(scope="session")
def orders_db(infra: Infra) -> str:
    return migrated_database(infra, "orders")


@pytest.fixture
def directory() -> FakeDirectory:
    return FakeDirectory()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
async def orders(infra: Infra, orders_db: str, directory: FakeDirectory, clock: FrozenClock
                 ) -> AsyncIterator[httpx.AsyncClient]:
    await truncate_all(orders_db)
    settings = service_settings(OrdersSettings, infra, "orders", orders_db, job_interval_seconds=0.1)
    async with running(create(settings, clock, directory)) as client:
        yield client
