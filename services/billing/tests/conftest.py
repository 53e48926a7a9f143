import re
import uuid
import zlib
from collections.abc import AsyncIterator, Callable
from decimal import Decimal

import httpx
import pytest

from billing.app import BillingSettings, create
from shared.events import Buyer, InvoiceLine, InvoicingRequested
from shared.testing import Infra, migrated_database, running, service_settings, truncate_all


@pytest.fixture(scope="session")
def billing_db(infra: Infra) -> str:
    return migrated_database(infra, "billing")


@pytest.fixture
async def billing(infra: Infra, billing_db: str) -> AsyncIterator[httpx.AsyncClient]:
    await truncate_all(billing_db)
    async with running(create(service_settings(BillingSettings, infra, "billing", billing_db))) as client:
        yield client


def invoicing_request(order_id: uuid.UUID | None = None, client_id: uuid.UUID | None = None) -> InvoicingRequested:
    """An order of two participants on a stay, with a round-trip transport line."""
    client_id = client_id or uuid.uuid4()
    return InvoicingRequested(
        order_id=order_id or uuid.uuid4(),
        order_reference="C2026-00042",
        buyer=Buyer(client_id=client_id, name="Mme Camille Martin", address_lines=["3 allée des Tilleuls"],
                    postal_code="38000", city="Grenoble"),
        lines=[
            InvoiceLine(label="Aventure en Ardèche, 10 au 24 juillet", quantity=2, unit_price=Decimal("850.00"),
                        amount=Decimal("1700.00")),
            InvoiceLine(label="Transport aller-retour Grenoble", quantity=2, unit_price=Decimal("95.50"),
                        amount=Decimal("191.00")),
        ],
        total=Decimal("1891.00"),
        amount_paid=Decimal("500.00"),
    )


@pytest.fixture
def invoicing() -> Callable[..., InvoicingRequested]:
    return invoicing_request


def inflate(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to find the text of its metadata (title, author). A stream's
    binary may hold the bytes of "endstream": inflating what precedes them is enough, so no end is demanded."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    return pdf + b"".join(zlib.decompressobj().decompress(s) for s in streams if s[:1] == b"x")


@pytest.fixture
def pdf_objects() -> Callable[[bytes], bytes]:
    return inflate
