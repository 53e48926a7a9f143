"""`colo-orders-backfill`: fill orders' copies of clients and stock from their owners' APIs, page by page.

For a copy that is empty (a new database, a wiped table) or behind. Safe at any time, while events flow: each state
is written under the version guard the events use (the owner's version where its API gives one, else 0, which any
event replaces), one page per transaction.
"""
import argparse
import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from orders import copies
from orders.app import OrdersSettings
from shared import events
from shared.db import make_engine
from shared.http import ServiceToken, every_item, get_json, service_client


@dataclass
class Filled:
    clients: int = 0
    client_types: int = 0
    departures: int = 0
    organisers: int = 0


async def _pages(client: httpx.AsyncClient, path: str, service: str, params: dict[str, Any] | None = None
                 ) -> AsyncIterator[list[dict[str, Any]]]:
    cursor = None
    while True:
        page = await get_json(client, path, service, {**(params or {}), "limit": 200,
                                                      **({"cursor": cursor} if cursor else {})})
        if page is None:
            return
        yield page["items"]
        if not (cursor := page["next_cursor"]):
            return


async def backfill(sessions: async_sessionmaker[AsyncSession], clients: httpx.AsyncClient, stock: httpx.AsyncClient
                   ) -> Filled:
    filled = Filled()
    async for page in _pages(clients, "/client-types", "clients"):
        async with sessions() as session, session.begin():
            for body in page:
                await copies.record_client_type(session, events.ClientTypeCreated.model_validate(
                    {**body, "client_type_id": body["id"]}), copies.BACK_FILLED)
        filled.client_types += len(page)
    async for page in _pages(clients, "/clients", "clients", {"include_dormant": "true"}):
        states = []
        for body in page:
            guardians = await every_item(clients, f"/clients/{body['id']}/legal-guardians", "clients", {})
            states.append((events.ClientUpdated.model_validate({
                **body, "client_id": body["id"],
                "participants": [{**p, "participant_id": p["id"]} for p in body["participants"]],
                "legal_guardians": [{**g, "guardian_id": g["id"]} for g in guardians],
            }), body["version"]))
        async with sessions() as session, session.begin():
            for state, version in states:
                await copies.record_client(session, state, version, deleted=False)
        filled.clients += len(page)
    async for page in _pages(stock, "/departure-states", "stock"):
        async with sessions() as session, session.begin():
            for body in page:
                await copies.record_departure(session, events.DepartureChanged.model_validate(body), body["version"])
        filled.departures += len(page)
    async for page in _pages(stock, "/organisers", "stock"):
        found = [await get_json(stock, f"/organisers/{o['id']}/commercial-settings", "stock") for o in page]
        async with sessions() as session, session.begin():
            for body in filter(None, found):
                await copies.record_settings(session, events.CommercialSettingsChanged.model_validate(body),
                                             copies.BACK_FILLED)
        filled.organisers += len(page)
    return filled


async def run(settings: OrdersSettings) -> Filled:
    engine = make_engine(settings.database_url, pool_size=1, name="orders-backfill")
    token = ServiceToken(settings)
    async with service_client(settings.clients_url, settings, token) as clients, \
            service_client(settings.stock_url, settings, token) as stock:
        try:
            return await backfill(async_sessionmaker(engine, expire_on_commit=False), clients, stock)
        finally:
            await engine.dispose()


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    settings = OrdersSettings()
    settings.require()
    filled = asyncio.run(run(settings))
    print(f"orders copies back-filled: {filled.clients} clients, {filled.client_types} client types, "
          f"{filled.departures} departures, {filled.organisers} organisers' settings")


if __name__ == "__main__":
    main()
