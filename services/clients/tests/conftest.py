import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from clients.app import ClientsSettings, create
from clients.holdings import SOURCES
from shared import events
from shared.db import InboxRow
from shared.events import Envelope
from shared.testing import Infra, eventually, migrated_database, running, service_settings, truncate_all


@pytest.fixture(scope="session")
def clients_db(infra: Infra) -> str:
    return migrated_database(infra, "clients")


class FakeHoldings:
    """The other services' records of each client, as the portability export reads them."""

    def __init__(self) -> None:
        self.held: dict[str, dict[str, list[dict]]] = {}

    async def held_about(self, client_id: uuid.UUID) -> dict[str, list[dict]]:
        return self.held.get(str(client_id), {section: [] for section, _, _ in SOURCES})

    async def close(self) -> None:
        return None


@pytest.fixture
def holdings() -> FakeHoldings:
    return FakeHoldings()


@pytest.fixture(scope="session")
def health_data_key() -> str:
    """The key the `clients` app encrypts participants' health data with."""
    return Fernet.generate_key().decode()


@pytest.fixture
async def clients(infra: Infra, clients_db: str, holdings: FakeHoldings, health_data_key: str
                  ) -> AsyncIterator[httpx.AsyncClient]:
    await truncate_all(clients_db)
    settings = service_settings(ClientsSettings, infra, "clients", clients_db, health_data_keys=[health_data_key])
    async with running(create(settings, holdings=holdings)) as client:
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


MARTIN = {"kind": "private", "civility": "Mme", "last_name": "Martin", "first_name": "Claire",
          "email": "claire.martin@example.org", "postal_code": "69003", "city": "Lyon"}


async def make_client(clients, **overrides):
    response = await clients.post("/clients", json={**MARTIN, **overrides})
    assert response.status_code == 201, response.text
    return response.json()


def order_event(cls, client_id, order_id, status, total="850.00", paid="0.00", participants=(), **extra):
    return cls(order_id=order_id, reference="C000042", client_id=client_id, departure_id=uuid.uuid4(),
               status=status, places=1, participant_ids=list(participants), total=Decimal(total), amount_paid=Decimal(paid),
               invoiced=False, **extra)


def payment_event(client_id, order_id, amount, paid):
    return events.PaymentRecorded(order_id=order_id, client_id=client_id, payment_id=uuid.uuid4(),
                                  amount=Decimal(amount), method="card", amount_paid=Decimal(paid),
                                  balance=Decimal("850.00") - Decimal(paid))


def invoice_event(client_id, order_id, invoice_id, total="850.00", version=1):
    return events.InvoiceIssued(order_id=order_id, client_id=client_id, invoiced=True, current_invoice_id=invoice_id,
                                invoice_id=invoice_id, number=version, reference=f"F2027-{version:05d}",
                                total=Decimal(total), issued_at=datetime(2027, 5, 2, tzinfo=UTC))


def credit_note_event(client_id, order_id, invoice_id, total="850.00"):
    return events.CreditNoteIssued(order_id=order_id, client_id=client_id, invoiced=False, current_invoice_id=None,
                                   credit_note_id=uuid.uuid4(), number=1, reference="A2027-00001",
                                   invoice_id=invoice_id, invoice_reference="F2027-00001", total=Decimal(total),
                                   reason="Annulation", issued_at=datetime(2027, 5, 3, tzinfo=UTC))


@pytest.fixture
def samples() -> SimpleNamespace:
    """A usable client and the orders' and billing's events about it, for the tests of several modules."""
    return SimpleNamespace(make_client=make_client, order_event=order_event, payment_event=payment_event,
                           invoice_event=invoice_event, credit_note_event=credit_note_event, martin=MARTIN)
