"""Sender identity use cases: set, change and remove them; the one a mail goes out under."""
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from notifications.domain.senders import Sender, SenderKind, choose
from notifications.settings import NotificationsSettings
from notifications.tables import SenderIdentity
from shared.db import UnitOfWork
from shared.pagination import keyset_page
from shared.problems import NotFound, Problem


async def sender_for(uow: UnitOfWork, settings: NotificationsSettings, organiser_id: UUID | None,
                     kind: SenderKind) -> Sender:
    identities = {(i.organiser_id, i.kind): Sender(i.name, i.address, i.reply_to)
                  for i in await uow.session.scalars(select(SenderIdentity))}
    default = Sender(settings.signature, settings.sender_address, settings.customer_service_address)
    return choose(identities, organiser_id, kind, default)


async def listed(uow: UnitOfWork, organiser_id: UUID | None, limit: int, cursor: str | None
                 ) -> tuple[list[SenderIdentity], str | None]:
    stmt = select(SenderIdentity)
    if organiser_id is not None:
        stmt = stmt.where(SenderIdentity.organiser_id == organiser_id)
    return await keyset_page(uow.session, stmt, SenderIdentity.created_at, SenderIdentity.id, limit, cursor)


async def get(uow: UnitOfWork, identity_id: UUID) -> SenderIdentity:
    identity = await uow.session.get(SenderIdentity, identity_id)
    if identity is None:
        raise NotFound("sender identity", identity_id)
    return identity


async def create(uow: UnitOfWork, organiser_id: UUID | None, kind: SenderKind, name: str, address: str,
                 reply_to: str | None) -> SenderIdentity:
    identity = SenderIdentity(organiser_id=organiser_id, kind=kind, name=name, address=address, reply_to=reply_to,
                              created_at=uow.clock.now(), updated_at=uow.clock.now())
    uow.session.add(identity)
    try:
        await uow.session.flush()
    except IntegrityError as error:
        owner = f"organiser {organiser_id}" if organiser_id else "the master entity"
        raise Problem(409, "sender_identity_exists", "Sender identity exists",
                      f"{owner} already has a {kind} sender identity: change that one.") from error
    return identity


async def change(uow: UnitOfWork, identity_id: UUID, name: str, address: str, reply_to: str | None
                 ) -> SenderIdentity:
    identity = await get(uow, identity_id)
    identity.name, identity.address, identity.reply_to = name, address, reply_to
    identity.updated_at = uow.clock.now()
    return identity


async def remove(uow: UnitOfWork, identity_id: UUID) -> None:
    await uow.session.delete(await get(uow, identity_id))
