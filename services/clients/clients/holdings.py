"""What the other services hold about a client, read from their APIs for the portability export: its orders and
quotes (orders), invoices and credit notes (billing), e-mails (notifications).

An export is whole or it is not given: a service that does not answer makes it fail (503), never shorter.
"""
import asyncio
from typing import Any, Protocol
from uuid import UUID

import httpx

from shared.problems import Problem

SOURCES = (("orders", "orders", "/orders"), ("quotes", "orders", "/quotes"), ("invoices", "billing", "/invoices"),
           ("credit_notes", "billing", "/credit-notes"), ("emails", "notifications", "/emails"))
"""(section of the export, service, its list filtered by `client_id`)."""
PAGE = 200


class Holdings(Protocol):
    async def held_about(self, client_id: UUID) -> dict[str, list[dict[str, Any]]]: ...

    async def close(self) -> None: ...


class HttpHoldings:
    def __init__(self, services: dict[str, httpx.AsyncClient]) -> None:
        self._services = services

    async def held_about(self, client_id: UUID) -> dict[str, list[dict[str, Any]]]:
        pages = await asyncio.gather(*(self._every_page(service, path, client_id) for _, service, path in SOURCES))
        return {section: items for (section, _, _), items in zip(SOURCES, pages, strict=True)}

    async def _every_page(self, service: str, path: str, client_id: UUID) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            params = {"client_id": str(client_id), "limit": PAGE, **({"cursor": cursor} if cursor else {})}
            try:
                response = await self._services[service].get(path, params=params)
            except httpx.HTTPError as error:
                raise _unavailable(service, "did not answer") from error
            if response.status_code != 200:
                raise _unavailable(service, f"answered {response.status_code}")
            page = response.json()
            items.extend(page["items"])
            if not (cursor := page["next_cursor"]):
                return items

    async def close(self) -> None:
        await asyncio.gather(*(client.aclose() for client in self._services.values()))


def _unavailable(service: str, what: str) -> Problem:
    return Problem(503, "dependency_unavailable", "Service unavailable",
                   f"The {service} service {what}: the export would not hold everything; try again shortly.")
