"""What stock asks orders over HTTP (a query only, never inside a transaction): which of some orders exist."""
from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

import httpx

from shared.http import every_item

BATCH = 200
"""Ids asked at once: as many as orders' list takes."""


class Orders(Protocol):
    async def known(self, order_ids: Sequence[UUID]) -> set[UUID]:
        """Those of the ids (at most BATCH) that are orders; a 503 Problem when orders does not answer."""
        ...

    async def close(self) -> None: ...


class HttpOrders:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def known(self, order_ids: Sequence[UUID]) -> set[UUID]:
        found = await every_item(self._client, "/orders", "orders", {"ids": [str(i) for i in order_ids]})
        return {UUID(order["id"]) for order in found}

    async def close(self) -> None:
        await self._client.aclose()
