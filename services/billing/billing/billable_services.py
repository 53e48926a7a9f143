"""Billable services: what a service invoice sells outside a stay (membership fee, transport, a service)."""
from decimal import Decimal
from uuid import UUID, uuid4

from billing.tables import BillableService
from shared.db import UnitOfWork
from shared.events import InvoiceLine
from shared.problems import DomainError, NotFound


async def create(uow: UnitOfWork, label: str, unit_price: Decimal, vat_rate: Decimal | None,
                 active: bool) -> BillableService:
    service = BillableService(id=uuid4(), label=label, unit_price=unit_price, vat_rate=vat_rate, active=active,
                              created_at=uow.clock.now())
    uow.session.add(service)
    return service


async def get(uow: UnitOfWork, service_id: UUID) -> BillableService:
    service = await uow.session.get(BillableService, service_id)
    if service is None:
        raise NotFound("billable service", service_id)
    return service


async def change(uow: UnitOfWork, service_id: UUID, label: str, unit_price: Decimal, vat_rate: Decimal | None,
                 active: bool) -> BillableService:
    """Invoices already issued keep the label and price they printed."""
    service = await get(uow, service_id)
    service.label, service.unit_price, service.vat_rate, service.active = label, unit_price, vat_rate, active
    return service


async def line(uow: UnitOfWork, service_id: UUID, quantity: int) -> InvoiceLine:
    service = await get(uow, service_id)
    if not service.active:
        raise DomainError("service_inactive", f"The service '{service.label}' is no longer sold.")
    return InvoiceLine(label=service.label, quantity=quantity, unit_price=service.unit_price,
                       amount=service.unit_price * quantity, vat_rate=service.vat_rate)
