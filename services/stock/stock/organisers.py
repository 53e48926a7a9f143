"""Organisers and the master entity's commercial settings: use cases run in the caller's unit of work."""
import zlib
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select, text

from shared.db import UnitOfWork
from shared.events import CommercialSettingsChanged, DepositTerms, MembershipTerms
from shared.problems import DomainError, NotFound
from stock.domain.organisers import (
    Fees,
    ManagedBy,
    MasterRules,
    Membership,
    MembershipYear,
    membership,
    validate_fees,
    validate_rules,
)
from stock.tables import MasterSettings, Organiser, Stay

MASTER_NAME = "Entité maître"
MASTER_LOCK = zlib.crc32(b"stock:master_entity")


def default_rules(return_city_variation_percent: Decimal) -> MasterRules:
    """What a new master entity starts with; the variation comes from COLO_RETURN_CITY_VARIATION_PERCENT."""
    return MasterRules(
        membership_enabled=False, membership_managed_by=ManagedBy.MASTER, membership_year=MembershipYear.CALENDAR,
        deposit_percent=Decimal(30), late_threshold_days=30, late_percent=Decimal(100), other_means_when_late=False,
        return_city_variation_percent=return_city_variation_percent, option_days=7, expired_option_days=7,
    )


def rules_of(settings: MasterSettings) -> MasterRules:
    values = {f.name: getattr(settings, f.name) for f in fields(MasterRules)}
    values["membership_managed_by"] = ManagedBy(settings.membership_managed_by)
    values["membership_year"] = MembershipYear(settings.membership_year)
    return MasterRules(**values)


def fees_of(organiser: Organiser) -> Fees:
    return Fees(organiser.individual_fee, organiser.family_fee)


async def get_organiser(uow: UnitOfWork, organiser_id: UUID, lock: bool = False, share: bool = False) -> Organiser:
    """`lock` to change or delete it; `share` to give it a stay, so that a concurrent deletion waits and sees it."""
    with_for_update: Any = {"key_share": True} if share else lock
    organiser = await uow.session.get(Organiser, organiser_id, with_for_update=with_for_update)
    if organiser is None:
        raise NotFound("organiser", organiser_id)
    return organiser


async def master(uow: UnitOfWork) -> Organiser | None:
    return await uow.session.scalar(select(Organiser).where(Organiser.is_master))


async def create_organiser(
    uow: UnitOfWork, name: str, is_master: bool, fees: Fees, default_variation: Decimal
) -> Organiser:
    validate_fees(fees)
    if is_master:
        await _serialise_masters(uow)
    if is_master and await master(uow) is not None:
        raise DomainError("master_exists", "There is already a master entity; an instance has exactly one.")
    organiser = Organiser(name=name.strip(), is_master=is_master, individual_fee=fees.individual,
                          family_fee=fees.family, created_at=uow.clock.now())
    uow.session.add(organiser)
    await uow.session.flush()
    if is_master:
        uow.session.add(MasterSettings(organiser_id=organiser.id, **_columns(default_rules(default_variation))))
        await uow.session.flush()
    await announce_settings(uow, organiser)
    return organiser


async def master_or_default(uow: UnitOfWork, default_variation: Decimal) -> Organiser:
    """The master entity; on an instance that has none yet (a fresh database), one with the default settings.

    The migration creates it; this only covers a database emptied since, so that a stay always has an organiser.
    """
    await _serialise_masters(uow)
    found = await master(uow)
    if found is not None:
        return found
    return await create_organiser(uow, MASTER_NAME, True, Fees(None, None), default_variation)


async def _serialise_masters(uow: UnitOfWork) -> None:
    """Two concurrent creations of the master entity: the second waits, then finds the first."""
    await uow.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MASTER_LOCK})


async def update_organiser(uow: UnitOfWork, organiser_id: UUID, changes: dict[str, Any]) -> Organiser:
    organiser = await get_organiser(uow, organiser_id, lock=True)
    fees = Fees(changes.get("individual_fee", organiser.individual_fee),
                changes.get("family_fee", organiser.family_fee))
    validate_fees(fees)
    if "name" in changes:
        organiser.name = changes["name"].strip()
    organiser.individual_fee, organiser.family_fee = fees.individual, fees.family
    await uow.session.flush()
    await announce_settings(uow, organiser)
    return organiser


async def delete_organiser(uow: UnitOfWork, organiser_id: UUID) -> None:
    organiser = await get_organiser(uow, organiser_id, lock=True)
    if organiser.is_master:
        raise DomainError("master_entity", "The master entity cannot be deleted.")
    if await uow.session.scalar(select(Stay.id).where(Stay.organiser_id == organiser_id).limit(1)) is not None:
        raise DomainError("organiser_has_stays", "This organiser still runs stays; move or delete them first.")
    await uow.session.delete(organiser)
    await uow.session.flush()


async def master_settings(uow: UnitOfWork, organiser_id: UUID, lock: bool = False) -> MasterSettings:
    organiser = await get_organiser(uow, organiser_id)
    if not organiser.is_master:
        raise DomainError("not_master_entity",
                          "Commercial settings are set on the master entity; this organiser only sets its fees.")
    settings = await uow.session.get(MasterSettings, organiser_id, with_for_update=lock)
    assert settings is not None, "a master entity always has its settings row"
    return settings


async def update_settings(uow: UnitOfWork, organiser_id: UUID, changes: dict[str, Any]) -> MasterSettings:
    settings = await master_settings(uow, organiser_id, lock=True)
    rules = MasterRules(**{**_columns(rules_of(settings)), **changes})
    validate_rules(rules)
    for name, value in _columns(rules).items():
        setattr(settings, name, value)
    await uow.session.flush()
    await announce_settings(uow, await get_organiser(uow, organiser_id))
    return settings


@dataclass(frozen=True)
class CommercialSettings:
    organiser_id: UUID
    master_organiser_id: UUID
    rules: MasterRules
    membership: Membership | None
    membership_scope_name: str | None
    """The name of the organiser whose membership cycle counts, for the fee's label on an order."""


async def commercial_settings(uow: UnitOfWork, organiser_id: UUID) -> CommercialSettings:
    """The rules that apply to the sale of this organiser's stays, resolved against the master entity."""
    organiser = await get_organiser(uow, organiser_id)
    head = await master(uow)
    if head is None:
        raise DomainError("no_master_entity", "No master entity is configured yet; create it first.")
    rules = rules_of(await master_settings(uow, head.id))
    member = membership(rules, head.id, fees_of(head), organiser.id, fees_of(organiser))
    scope_name = None if member is None else head.name if member.scope_organiser_id == head.id else organiser.name
    return CommercialSettings(organiser.id, head.id, rules, member, scope_name)


async def announce_settings(uow: UnitOfWork, changed: Organiser) -> None:
    """The organiser's commercial settings, with a new version; every organiser's when the master entity changed,
    since theirs are resolved against it. Orders keeps a copy of them, fed by nothing else."""
    if not changed.is_master:
        await _announce(uow, changed)
        return
    if await uow.session.get(MasterSettings, changed.id) is None:  # the master entity's settings come next
        return
    for organiser in list(await uow.session.scalars(select(Organiser).order_by(Organiser.created_at))):
        await _announce(uow, organiser)


async def _announce(uow: UnitOfWork, organiser: Organiser) -> None:
    try:
        found = await commercial_settings(uow, organiser.id)
    except DomainError:  # no master entity yet: nothing to resolve against, announced when it comes
        return
    organiser.version += 1
    rules, member = found.rules, found.membership
    uow.emit(CommercialSettingsChanged(
        organiser_id=organiser.id,
        membership=None if member is None else MembershipTerms(
            scope_organiser_id=member.scope_organiser_id, scope_name=found.membership_scope_name or "",
            individual_fee=member.individual_fee, family_fee=member.family_fee, year=member.year.value),
        deposit=DepositTerms(percent=rules.deposit_percent, late_threshold_days=rules.late_threshold_days,
                             late_percent=rules.late_percent, other_means_when_late=rules.other_means_when_late),
        option_days=rules.option_days, expired_option_days=rules.expired_option_days,
        return_city_variation_percent=rules.return_city_variation_percent,
    ), organiser.id, organiser.version)


async def return_city_variation(uow: UnitOfWork) -> Decimal:
    """The master entity's rule, whoever runs the stay: one query on every priced booking with transport."""
    found = await uow.session.scalar(select(MasterSettings.return_city_variation_percent)
                                     .join(Organiser, Organiser.id == MasterSettings.organiser_id)
                                     .where(Organiser.is_master))
    if found is None:
        raise DomainError("no_master_entity", "No master entity is configured yet; create it first.")
    return found


def _columns(rules: MasterRules) -> dict[str, Any]:
    return {f.name: getattr(rules, f.name) for f in fields(MasterRules)}
