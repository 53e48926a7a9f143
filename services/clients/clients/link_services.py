"""Use cases of linked clients: a client linked to another with a markup or a discount.

Granting one is a commercial decision: it needs the supervision code of the configuration, compared
in constant time so that timing does not reveal it.
"""
import hmac
from decimal import Decimal
from typing import Literal
from uuid import UUID

from sqlalchemy import exists, select

from clients.domain.record import FieldError, InvalidClient, ensure_changeable
from clients.services import _reported_as_invalid_request, details_of, get_client
from clients.tables import Client, ClientLink
from shared.db import UnitOfWork
from shared.money import quantize
from shared.pagination import keyset_page
from shared.problems import DomainError, NotFound, Problem

Adjustment = Literal["markup", "discount"]


def check_supervision_code(configured: str | None, given: str | None) -> None:
    if not configured:
        raise DomainError("supervision_not_configured",
                          "No supervision code is configured: linking clients is disabled.")
    if not given or not hmac.compare_digest(configured.encode(), given.encode()):
        raise Problem(403, "supervision_code_invalid", "Forbidden", "The supervision code is wrong.")


async def link(uow: UnitOfWork, client_id: UUID, linked_client_id: UUID, adjustment: Adjustment, rate: Decimal,
               by: str) -> ClientLink:
    client = await get_client(uow, client_id, for_update=True)
    ensure_changeable(details_of(client))
    with _reported_as_invalid_request():
        linked = await uow.session.get(Client, linked_client_id)
        if linked_client_id == client_id:
            raise InvalidClient([FieldError("linked_client_id", "A client cannot be linked to itself.")])
        if linked is None or linked.deleted_at is not None:
            raise InvalidClient([FieldError("linked_client_id", "No client has this id.")])
    ensure_changeable(details_of(linked))
    taken = select(exists().where(ClientLink.client_id == client_id, ClientLink.linked_client_id == linked_client_id))
    if await uow.session.scalar(taken):
        raise _already_linked()
    row = ClientLink(client_id=client_id, linked_client_id=linked_client_id, adjustment=adjustment, rate=quantize(rate),
                     granted_by=by, created_at=uow.clock.now())
    uow.session.add(row)
    await uow.flush_unique(_already_linked())
    return row


def _already_linked() -> DomainError:
    return DomainError("clients_already_linked", "These clients are already linked: remove the link to change it.")


async def links(uow: UnitOfWork, client_id: UUID, limit: int, cursor: str | None
                ) -> tuple[list[ClientLink], str | None]:
    await get_client(uow, client_id)
    stmt = select(ClientLink).where(ClientLink.client_id == client_id)
    return await keyset_page(uow.session, stmt, ClientLink.created_at, ClientLink.id, limit, cursor)


async def unlink(uow: UnitOfWork, client_id: UUID, link_id: UUID) -> None:
    client = await get_client(uow, client_id, for_update=True)
    row = await uow.session.get(ClientLink, link_id)
    if row is None or row.client_id != client_id:
        raise NotFound("client link", link_id)
    ensure_changeable(details_of(client))
    await uow.session.delete(row)
