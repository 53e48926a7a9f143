"""Orders' own copies of what a booking needs of clients and stock, so that a booking asks nobody.

Each copy is fed by its owner's events through the inbox and keeps the version of the newest state it applied: a
late, duplicated or reordered event changes nothing. The back-fill (`colo-orders-backfill`) writes the owners'
current answers at version 0, under any event's, so it may run at any time. A booking reads its copies through
`CopiesDirectory`; what no copy holds yet (a client created a moment ago, whose event is on its way) is asked of its
owner, as before copies, so that nothing a user does is refused for a copy being behind.
"""
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from orders.domain.catalogue import UnknownChoice, participant_price
from orders.domain.deposit import DepositPolicy
from orders.domain.membership import Policy, Year
from orders.domain.pricing import ParticipantPrice
from orders.gateways import (
    ClientInfo,
    ClientProfile,
    ClientTypeTerms,
    CommercialSettings,
    DepartureInfo,
    Directory,
    GuardianInfo,
    ResellerInfo,
    StayTerms,
    Wallet,
)
from orders.tables import (
    ClientCopy,
    ClientTypeCopy,
    CommercialSettingsCopy,
    DepartureCopy,
    ResellerAssignmentCopy,
)
from shared import events
from shared.db import UnitOfWork
from shared.events import Envelope
from shared.problems import Problem

BACK_FILLED = 0
"""The version of a copy written by the back-fill: any event's state replaces it."""


async def _upsert(session: AsyncSession, table: Any, key: str, values: dict[str, Any]) -> bool:
    """Write the state unless the copy holds a newer one; whether it was written."""
    stmt = insert(table).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[key], set_={name: stmt.excluded[name] for name in values if name != key},
        where=table.version <= stmt.excluded.version,
    ).returning(table.version)
    return (await session.execute(stmt)).first() is not None


async def record_client(session: AsyncSession, client: events.ClientState, version: int, deleted: bool) -> None:
    await _upsert(session, ClientCopy, "client_id", {
        "client_id": client.client_id, "version": version, "kind": client.kind, "display_name": client.display_name,
        "client_type_id": client.client_type_id, "blocked": client.blocked, "disputed": client.disputed,
        "deleted": deleted, "recipient_preference": client.recipient_preference,
        "buyer": {"client_id": str(client.client_id), "name": client.display_name,
                  "address_lines": client.address_lines, "postal_code": client.postal_code, "city": client.city,
                  "country": client.country, "email": client.email},
        "participants": [{"participant_id": str(p.participant_id), "last_name": p.last_name,
                          "first_name": p.first_name, "birth_date": p.birth_date.isoformat() if p.birth_date else None}
                         for p in client.participants],
        "legal_guardians": [{"guardian_id": str(g.guardian_id),
                             "name": " ".join(filter(None, (g.first_name, g.last_name)))}
                            for g in client.legal_guardians],
    })


async def record_client_type(session: AsyncSession, client_type: events.ClientTypeState, version: int) -> None:
    await _upsert(session, ClientTypeCopy, "client_type_id", {
        "client_type_id": client_type.client_type_id, "version": version,
        "individual_membership_only": client_type.individual_membership_only,
        "no_membership_on_group_orders": client_type.no_membership_on_group_orders,
        "front_office_ordering_allowed": client_type.front_office_ordering_allowed,
        "documents_despite_incomplete_file": client_type.documents_despite_incomplete_file,
    })


async def record_departure(session: AsyncSession, departure: events.DepartureState, version: int) -> None:
    """The departure and, when the event carries its catalogue, the resellers that may sell it."""
    catalogue = departure.catalogue
    written = await _upsert(session, DepartureCopy, "departure_id", {
        "departure_id": departure.departure_id, "version": version, "stay_id": departure.stay_id,
        "stay_title": departure.stay_title, "organiser_id": departure.organiser_id,
        "start_date": departure.start_date, "end_date": departure.end_date, "base_price": departure.base_price,
        "status": departure.status, "free": departure.stock.free,
        "catalogue": catalogue.model_dump(mode="json") if catalogue else None,
    })
    if not written or catalogue is None:
        return
    await session.execute(delete(ResellerAssignmentCopy)
                          .where(ResellerAssignmentCopy.departure_id == departure.departure_id))
    if catalogue.resellers:
        await session.execute(insert(ResellerAssignmentCopy).values([
            {"reseller_id": r.reseller_id, "departure_id": departure.departure_id, "name": r.name,
             "markup_percent": r.markup_percent} for r in catalogue.resellers]))


async def record_settings(session: AsyncSession, settings: events.CommercialSettingsChanged, version: int) -> None:
    await _upsert(session, CommercialSettingsCopy, "organiser_id", {
        "organiser_id": settings.organiser_id, "version": version, "settings": settings.model_dump(mode="json")})


async def on_client(uow: UnitOfWork, event: events.ClientState, envelope: Envelope) -> None:
    await record_client(uow.session, event, envelope.aggregate_version,
                        deleted=envelope.type == events.ClientDeleted.TYPE)


async def on_client_type(uow: UnitOfWork, event: events.ClientTypeState, envelope: Envelope) -> None:
    await record_client_type(uow.session, event, envelope.aggregate_version)


async def on_departure(uow: UnitOfWork, event: events.DepartureState, envelope: Envelope) -> None:
    await record_departure(uow.session, event, envelope.aggregate_version)


async def on_settings(uow: UnitOfWork, event: events.CommercialSettingsChanged, envelope: Envelope) -> None:
    await record_settings(uow.session, event, envelope.aggregate_version)


HANDLERS = {
    **{event: on_client for event in (events.ClientCreated, events.ClientUpdated, events.ClientDeleted,
                                      events.ClientRestored, events.ClientAnonymised)},
    events.ClientTypeCreated: on_client_type,
    events.ClientTypeUpdated: on_client_type,
    **{event: on_departure for event in (events.DepartureCreated, events.DepartureChanged, events.DepartureFull,
                                         events.DepartureReopened)},
    events.CommercialSettingsChanged: on_settings,
}


def client_info(copy: ClientCopy) -> ClientInfo:
    return ClientInfo(
        id=copy.client_id, display_name=copy.display_name, blocked=copy.blocked, buyer=copy.buyer,
        participants={UUID(p["participant_id"]): {
            "last_name": p["last_name"], "first_name": p["first_name"],
            "birth_date": date.fromisoformat(p["birth_date"]) if p["birth_date"] else None,
        } for p in copy.participants},
        kind=copy.kind, client_type_id=copy.client_type_id, disputed=copy.disputed,
    )


def commercial_settings(settings: events.CommercialSettingsChanged) -> CommercialSettings:
    membership, deposit = settings.membership, settings.deposit
    return CommercialSettings(
        membership=Policy(
            scope_id=membership.scope_organiser_id, scope_name=membership.scope_name or "l'organisateur",
            individual_fee=membership.individual_fee or Decimal(0), family_fee=membership.family_fee,
            year=Year(membership.year),
        ) if membership else None,
        deposit=DepositPolicy(deposit.percent, deposit.late_threshold_days, deposit.late_percent,
                              deposit.other_means_when_late),
        option_days=settings.option_days, expired_option_days=settings.expired_option_days,
    )


class CopiesDirectory:
    """The booking's questions answered from the copies, in the booking's own transaction; `owners` (clients and
    stock over HTTP) only for what no copy holds yet, what is asked `fresh` (whether a front-office account may
    order online), and what orders keeps no copy of (wallet, links, stays' paperwork and fees, the travel pack's
    client profile)."""

    def __init__(self, session: AsyncSession, owners: Directory) -> None:
        self._session, self._owners = session, owners

    async def close(self) -> None:
        """The owners' clients belong to the application."""

    async def _client_copy(self, client_id: UUID) -> ClientCopy | None:
        return await self._session.get(ClientCopy, client_id)

    async def client(self, client_id: UUID, fresh: bool = False) -> ClientInfo | None:
        copy = None if fresh else await self._client_copy(client_id)
        if copy is None:
            return await self._owners.client(client_id)
        return None if copy.deleted else client_info(copy)

    async def client_type(self, client_type_id: UUID, fresh: bool = False) -> ClientTypeTerms | None:
        copy = None if fresh else await self._session.get(ClientTypeCopy, client_type_id)
        if copy is None:
            return await self._owners.client_type(client_type_id)
        return ClientTypeTerms(copy.individual_membership_only, copy.no_membership_on_group_orders,
                               copy.front_office_ordering_allowed)

    async def legal_guardian(self, client_id: UUID, guardian_id: UUID) -> GuardianInfo | None:
        copy = await self._client_copy(client_id)
        for guardian in copy.legal_guardians if copy else []:
            if guardian["guardian_id"] == str(guardian_id):
                return GuardianInfo(guardian_id, guardian["name"])
        return await self._owners.legal_guardian(client_id, guardian_id)

    async def _departure_copy(self, departure_id: UUID) -> DepartureCopy | None:
        return await self._session.get(DepartureCopy, departure_id)

    async def departure(self, departure_id: UUID) -> DepartureInfo | None:
        copy = await self._departure_copy(departure_id)
        if copy is None:
            return await self._owners.departure(departure_id)
        return DepartureInfo(copy.departure_id, copy.stay_title, copy.start_date, copy.end_date, copy.base_price,
                             copy.stay_id, copy.organiser_id)

    async def _settings(self, organiser_id: UUID) -> events.CommercialSettingsChanged | None:
        copy = await self._session.get(CommercialSettingsCopy, organiser_id)
        return events.CommercialSettingsChanged.model_validate(copy.settings) if copy else None

    async def commercial_settings(self, organiser_id: UUID) -> CommercialSettings | None:
        settings = await self._settings(organiser_id)
        if settings is None:
            return await self._owners.commercial_settings(organiser_id)
        return commercial_settings(settings)

    async def reseller(self, client_id: UUID) -> ResellerInfo | None:
        """A reseller is a client stock assigned departures to: the copies of those departures name it."""
        name = await self._session.scalar(select(ResellerAssignmentCopy.name)
                                          .where(ResellerAssignmentCopy.reseller_id == client_id).limit(1))
        return ResellerInfo(client_id, name) if name is not None else await self._owners.reseller(client_id)

    async def price(self, departure_id: UUID, outbound_city_id: UUID | None, return_city_id: UUID | None,
                    extra_ids: tuple[UUID, ...], add_on_ids: tuple[UUID, ...] = (),
                    reseller_id: UUID | None = None) -> ParticipantPrice:
        copy = await self._departure_copy(departure_id)
        settings = await self._settings(copy.organiser_id) if copy and copy.organiser_id else None
        if copy is None or copy.catalogue is None or settings is None:
            return await self._owners.price(departure_id, outbound_city_id, return_city_id, extra_ids, add_on_ids,
                                            reseller_id)
        markup = Decimal(0)
        if reseller_id is not None:
            found = await self._session.get(ResellerAssignmentCopy, (reseller_id, departure_id))
            if found is None:  # stock refuses it, unless the assignment is on its way
                return await self._owners.price(departure_id, outbound_city_id, return_city_id, extra_ids,
                                                add_on_ids, reseller_id)
            markup = found.markup_percent
        try:
            return participant_price(events.DepartureCatalogue.model_validate(copy.catalogue), copy.base_price,
                                     settings.return_city_variation_percent, outbound_city_id, return_city_id,
                                     extra_ids, add_on_ids, markup)
        except UnknownChoice as refused:
            raise Problem(422, "unknown_departure_choice", "Unknown city, extra or add-on",
                          f"Departure {departure_id} does not offer this choice: {refused}.") from None

    async def linked(self, client_id: UUID, other_id: UUID) -> bool:
        return await self._owners.linked(client_id, other_id)

    async def stay_terms(self, departure_id: UUID) -> StayTerms | None:
        return await self._owners.stay_terms(departure_id)

    async def client_profile(self, client_id: UUID) -> ClientProfile:
        return await self._owners.client_profile(client_id)

    async def wallet(self, client_id: UUID) -> Wallet:
        return await self._owners.wallet(client_id)
