"""Bounce use cases: an address that bounced for good is invalid, clients is told, mail to it is held; an
operator clears it once corrected. The caller commits."""
from collections.abc import Sequence
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from notifications.domain.bounces import Bounce
from notifications.tables import Email, InvalidAddress
from shared.db import UnitOfWork
from shared.events import AddressBounced
from shared.logging import log
from shared.pagination import keyset_page
from shared.problems import NotFound


async def record(uow: UnitOfWork, bounces: Sequence[Bounce], email_id: UUID | None) -> None:
    """An address already known invalid is not announced again."""
    for bounce in bounces:
        added = await uow.session.scalar(
            insert(InvalidAddress).values(address=bounce.address, reason=bounce.reason[:2000], email_id=email_id,
                                          bounced_at=uow.clock.now())
            .on_conflict_do_nothing().returning(InvalidAddress.address))
        if added is None:
            continue
        log.warning("email.address_bounced", email_id=str(email_id), reason=bounce.reason)
        uow.emit(AddressBounced(address=bounce.address, reason=bounce.reason[:2000], email_id=email_id), uuid4(), 1)


async def hold_if_invalid(uow: UnitOfWork, email: Email) -> None:
    """Mail to an address known to bounce is not sent: held for an operator, who corrects and resends it."""
    addresses = [a.lower() for a in [*email.recipients, *email.cc]]
    invalid = list(await uow.session.scalars(select(InvalidAddress.address)
                                             .where(InvalidAddress.address.in_(addresses))))
    if invalid:
        email.status = "held"
        email.last_error = f"Adresse invalide (retour de distribution) : {', '.join(invalid)}"


async def listed(uow: UnitOfWork, limit: int, cursor: str | None) -> tuple[list[InvalidAddress], str | None]:
    return await keyset_page(uow.session, select(InvalidAddress), InvalidAddress.bounced_at, InvalidAddress.address,
                             limit, cursor)


async def clear(uow: UnitOfWork, address: str) -> None:
    row = await uow.session.get(InvalidAddress, address.lower())
    if row is None:
        raise NotFound("invalid address", address)
    await uow.session.delete(row)

