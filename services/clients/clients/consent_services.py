"""Use cases of consents: change them, re-confirm them from an order's placed event, read them and their history."""
from uuid import UUID

from sqlalchemy import select

from clients.domain.consents import TOPICS, Channel, Topic, changes
from clients.domain.record import ensure_changeable
from clients.services import _changed, details_of, get_client
from clients.tables import Client, ConsentRecord
from shared.db import UnitOfWork
from shared.events import OrderPlaced
from shared.logging import log
from shared.pagination import keyset_page
from shared.problems import DomainError, NotFound


def current(client: Client) -> dict[Topic, bool]:
    return {"newsletter": client.newsletter_consent, "partner_offers": client.partner_offers_consent}


async def answer(uow: UnitOfWork, client_id: UUID, asked: dict[Topic, bool], channel: Channel, by: str,
                 confirming: bool = False, order_id: UUID | None = None) -> Client:
    """Record the client's answers; a changed consent changes the client (new version and event)."""
    client = await get_client(uow, client_id, for_update=True)
    lines = changes(current(client), asked, confirming)
    if not lines:
        return client
    ensure_changeable(details_of(client))
    now = uow.clock.now()
    for line in lines:
        uow.session.add(ConsentRecord(client_id=client_id, topic=line.topic, granted=line.granted, action=line.action,
                                      channel=channel, recorded_by=by, order_id=order_id, recorded_at=now))
        setattr(client, f"{line.topic}_consent", line.granted)
    if any(line.action != "confirmed" for line in lines):
        _changed(uow, client)
    return client


async def confirm_at_order(uow: UnitOfWork, placed: OrderPlaced) -> None:
    """Record the answers the client gave when ordering, once per order (channel order, the order named, by
    whoever took the order). A client gone to the trash or blocked since keeps its history as it is: logged."""
    answers = placed.consents
    if answers is None:
        return
    recorded = await uow.session.scalar(select(ConsentRecord.id).where(
        ConsentRecord.client_id == placed.client_id, ConsentRecord.order_id == placed.order_id).limit(1))
    if recorded is not None:
        log.info("clients.consents_already_confirmed", order_id=str(placed.order_id))
        return
    asked: dict[Topic, bool] = {"newsletter": answers.newsletter, "partner_offers": answers.partner_offers}
    try:
        await answer(uow, placed.client_id, asked, "order", answers.recorded_by, confirming=True,
                     order_id=placed.order_id)
    except (NotFound, DomainError) as refused:
        log.warning("clients.consents_not_recorded", client_id=str(placed.client_id),
                    order_id=str(placed.order_id), reason=str(refused))


async def latest(uow: UnitOfWork, client_id: UUID) -> dict[Topic, ConsentRecord | None]:
    """The last answer recorded for each consent, None while the client has never answered."""
    found: dict[Topic, ConsentRecord | None] = {}
    for topic in TOPICS:
        stmt = (select(ConsentRecord).where(ConsentRecord.client_id == client_id, ConsentRecord.topic == topic)
                .order_by(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc()).limit(1))
        found[topic] = await uow.session.scalar(stmt)
    return found


async def history(uow: UnitOfWork, client_id: UUID, limit: int, cursor: str | None
                  ) -> tuple[list[ConsentRecord], str | None]:
    await get_client(uow, client_id)
    stmt = select(ConsentRecord).where(ConsentRecord.client_id == client_id)
    return await keyset_page(uow.session, stmt, ConsentRecord.recorded_at, ConsentRecord.id, limit, cursor)
