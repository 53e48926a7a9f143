"""What the other services hold about a client, read from their APIs for the portability export: its orders and
quotes (orders), invoices and credit notes (billing), e-mails (notifications).

An export is whole or it is not given: a service that does not answer makes it fail (503), never shorter.
"""
import asyncio
from typing import Any, Protocol
from uuid import UUID

import httpx

from shared.http import every_item

SOURCES = (("orders", "orders", "/orders"), ("quotes", "orders", "/quotes"), ("invoices", "billing", "/invoices"),
           ("credit_notes", "billing", "/credit-notes"), ("emails", "notifications", "/emails"))
"""(section of the export, service, its list filtered by `client_id`)."""


class Holdings(Protocol):
    async def held_about(self, client_id: UUID) -> dict[str, list[dict[str, Any]]]: ...

    async def close(self) -> None: ...


class HttpHoldings:
    def __init__(self, services: dict[str, httpx.AsyncClient]) -> None:
        self._services = services

    async def held_about(self, client_id: UUID) -> dict[str, list[dict[str, Any]]]:
        pages = await asyncio.gather(*(every_item(self._services[service], path, service, {"client_id": str(client_id)})
                                       for _, service, path in SOURCES))
        return {section: items for (section, _, _), items in zip(SOURCES, pages, strict=True)}

    async def close(self) -> None:
        await asyncio.gather(*(client.aclose() for client in self._services.values()))
