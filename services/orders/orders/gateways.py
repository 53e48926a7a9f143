"""What orders asks other services over HTTP (queries only): the client and the departure being booked."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

import httpx

from shared.problems import Problem


@dataclass(frozen=True)
class ClientInfo:
    id: UUID
    display_name: str
    blocked: bool
    buyer: dict[str, Any]
    participants: dict[UUID, dict[str, Any]]


@dataclass(frozen=True)
class DepartureInfo:
    id: UUID
    stay_title: str
    start_date: date
    end_date: date
    base_price: Decimal


class Directory(Protocol):
    async def client(self, client_id: UUID) -> ClientInfo | None: ...
    async def departure(self, departure_id: UUID) -> DepartureInfo | None: ...
    async def close(self) -> None: ...


class HttpDirectory:
    def __init__(self, clients: httpx.AsyncClient, stock: httpx.AsyncClient) -> None:
        self._clients, self._stock = clients, stock

    async def close(self) -> None:
        await self._clients.aclose()
        await self._stock.aclose()

    async def client(self, client_id: UUID) -> ClientInfo | None:
        body = await _get(self._clients, f"/clients/{client_id}", "clients")
        if body is None:
            return None
        return ClientInfo(
            id=UUID(body["id"]),
            display_name=body["display_name"],
            blocked=body["blocked"],
            buyer={
                "client_id": body["id"], "name": body["display_name"], "address_lines": body["address_lines"],
                "postal_code": body["postal_code"], "city": body["city"], "country": body["country"],
                "email": body["email"],
            },
            participants={
                UUID(p["id"]): {
                    "last_name": p["last_name"],
                    "first_name": p["first_name"],
                    "birth_date": date.fromisoformat(p["birth_date"]) if p.get("birth_date") else None,
                }
                for p in body["participants"]
            },
        )

    async def departure(self, departure_id: UUID) -> DepartureInfo | None:
        body = await _get(self._stock, f"/departures/{departure_id}", "stock")
        if body is None:
            return None
        stay = await _get(self._stock, f"/stays/{body['stay_id']}", "stock")
        return DepartureInfo(
            id=UUID(body["id"]),
            stay_title=stay["title"] if stay else "",
            start_date=date.fromisoformat(body["start_date"]),
            end_date=date.fromisoformat(body["end_date"]),
            base_price=Decimal(body["base_price"]),
        )


async def _get(client: httpx.AsyncClient, path: str, service: str) -> dict[str, Any] | None:
    try:
        response = await client.get(path)
    except httpx.HTTPError as error:
        raise Problem(503, "dependency_unavailable", "Service unavailable",
                      f"The {service} service did not answer; try again shortly.") from error
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise Problem(503, "dependency_unavailable", "Service unavailable",
                      f"The {service} service answered {response.status_code}; try again shortly.")
    return response.json()
