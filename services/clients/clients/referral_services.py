"""Use cases of referral: set a client's referrer, list a referrer's referees and what remains."""
from uuid import UUID

from sqlalchemy import func, select

from clients.domain.record import FieldError, InvalidClient, ensure_changeable
from clients.domain.referral import check_referrer
from clients.services import _changed, _reported_as_invalid_request, details_of, get_client
from clients.tables import Client
from shared.db import UnitOfWork
from shared.pagination import keyset_page

MAX_CHAIN = 100


async def referee_count(uow: UnitOfWork, referrer_id: UUID) -> int:
    return await uow.session.scalar(select(func.count()).where(Client.referrer_id == referrer_id)) or 0


async def _chain(uow: UnitOfWork, start: UUID) -> list[UUID]:
    """The referrers above `start`, nearest first (bounded, in case of bad data)."""
    chain, current = [], start
    while len(chain) < MAX_CHAIN:
        parent = await uow.session.scalar(select(Client.referrer_id).where(Client.id == current))
        if parent is None:
            return chain
        chain.append(parent)
        current = parent
    return chain


async def set_referrer(uow: UnitOfWork, client_id: UUID, referrer_id: UUID | None, maximum: int) -> Client:
    """Name (or clear) the client's referrer; the referrer's row is locked so that its quota holds."""
    client = await get_client(uow, client_id, for_update=True)
    if client.referrer_id == referrer_id:
        return client
    ensure_changeable(details_of(client))
    if referrer_id is not None:
        referrer = await uow.session.get(Client, referrer_id, with_for_update=True)
        with _reported_as_invalid_request():
            if referrer is None or referrer.deleted_at is not None:
                raise InvalidClient([FieldError("referrer_id", "No client has this id.")])
            check_referrer(client.id, referrer.id, await _chain(uow, referrer.id),
                           await referee_count(uow, referrer.id), maximum)
    client.referrer_id = referrer_id
    _changed(uow, client)
    return client


async def referees(uow: UnitOfWork, referrer_id: UUID, limit: int, cursor: str | None
                   ) -> tuple[list[Client], str | None]:
    await get_client(uow, referrer_id)
    stmt = select(Client).where(Client.referrer_id == referrer_id, Client.deleted_at.is_(None))
    return await keyset_page(uow.session, stmt, Client.created_at, Client.id, limit, cursor)
