"""A client's lifecycle: the trash and restore, and a prospect becoming a client on its first order.

A client in the trash keeps every row as it was, marked by `deleted_at`: restoring it only clears the
mark. Meanwhile searches do not show it and every other operation answers 404, as for a client that
does not exist. Each step bumps the client's version and emits its event with the client's state.
"""
from uuid import UUID

from sqlalchemy import exists, func, select

from clients import projections, services
from clients.domain.lifecycle import converted_kind, deletion_refusal
from clients.domain.record import display_name, ensure_changeable
from clients.tables import Client, ClientAlert
from shared.db import UnitOfWork
from shared.events import AddressBounced, ClientDeleted, ClientRestored
from shared.pagination import keyset_page
from shared.problems import DomainError, NotFound

PROSPECT_CONVERTED = "prospect_converted"
EMAIL_BOUNCED = "email_bounced"


async def delete_client(uow: UnitOfWork, client_id: UUID) -> Client:
    """Into the trash, unless orders or billing hold records of the client."""
    client = await services.get_client(uow, client_id, for_update=True)
    ensure_changeable(services.details_of(client))
    orders, documents = await projections.records_held(uow, client.id)
    if refusal := deletion_refusal(orders, documents):
        raise DomainError("client_has_records", refusal)
    client.deleted_at = uow.clock.now()
    services._changed(uow, client, ClientDeleted)
    return client


async def _trashed(uow: UnitOfWork, client_id: UUID) -> Client:
    client = await uow.session.get(Client, client_id, with_for_update=True)
    if client is None or client.deleted_at is None:
        raise NotFound("client in the trash", client_id)
    return client


async def restore_client(uow: UnitOfWork, client_id: UUID) -> Client:
    client = await _trashed(uow, client_id)
    client.deleted_at = None
    services._changed(uow, client, ClientRestored)
    return client


async def list_trash(uow: UnitOfWork, limit: int, cursor: str | None) -> tuple[list[Client], str | None]:
    """The deleted clients, the earliest deleted first."""
    stmt = select(Client).where(Client.deleted_at.is_not(None))
    return await keyset_page(uow.session, stmt, Client.deleted_at, Client.id, limit, cursor)


async def convert_prospect(uow: UnitOfWork, client_id: UUID) -> None:
    """A prospect's first order makes it a client; an operator is alerted to give it its right type.

    The prospect type it had is dropped, as it no longer matches the kind. Nothing happens to a client
    that is not a prospect, nor to a prospect already converted (whose kind could not be decided).

    Every order event comes here: only a prospect's row is read whole and locked, so that the events of one
    client's orders do not queue on its row lock, each holding a connection.
    """
    client = await uow.session.scalar(
        select(Client).where(Client.id == client_id, Client.kind == "prospect").with_for_update())
    if client is None or client.deleted_at or client.anonymised_at:
        return
    if await uow.session.scalar(select(exists().where(ClientAlert.client_id == client.id,
                                                      ClientAlert.reason == PROSPECT_CONVERTED))):
        return
    kind = converted_kind(services.details_of(client))
    if kind is not None:
        client.kind, client.client_type_id = kind, None
        await services._index(uow, client, services.details_of(client))
        services._changed(uow, client)
    name = display_name(services.details_of(client))
    what = f"is now a {kind} client" if kind else "ordered but lacks a name to become a private or professional client"
    uow.session.add(ClientAlert(
        client_id=client.id, reason=PROSPECT_CONVERTED, created_at=uow.clock.now(),
        message=f"The prospect {name} placed its first order and {what}: give it its right client type.",
    ))


async def alert_bounced_address(uow: UnitOfWork, bounced: AddressBounced) -> None:
    """Mail to a client's address came back undeliverable for good: an operator corrects the address, while
    notifications holds the client's mail."""
    clients = await uow.session.scalars(select(Client).where(
        func.lower(Client.email) == bounced.address.lower(), Client.deleted_at.is_(None),
        Client.anonymised_at.is_(None)))
    for client in clients:
        message = f"Mail to {bounced.address} came back undeliverable ({bounced.reason}): correct the client's e-mail."
        uow.session.add(ClientAlert(client_id=client.id, reason=EMAIL_BOUNCED, created_at=uow.clock.now(),
                                    message=message[:500]))


async def list_alerts(uow: UnitOfWork, include_cleared: bool, limit: int, cursor: str | None
                      ) -> tuple[list[ClientAlert], str | None]:
    stmt = select(ClientAlert)
    if not include_cleared:
        stmt = stmt.where(ClientAlert.cleared_at.is_(None))
    return await keyset_page(uow.session, stmt, ClientAlert.created_at, ClientAlert.id, limit, cursor)


async def clear_alert(uow: UnitOfWork, alert_id: UUID, by: str) -> ClientAlert:
    """Clearing twice keeps the first clearance."""
    alert = await uow.session.get(ClientAlert, alert_id, with_for_update=True)
    if alert is None:
        raise NotFound("alert", alert_id)
    if alert.cleared_at is None:
        alert.cleared_at, alert.cleared_by = uow.clock.now(), by
    return alert
