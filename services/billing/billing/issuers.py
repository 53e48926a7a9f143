"""Issuer use cases: set an issuer (each change a new version), find who issues a document, close fiscal years.
Each runs inside the caller's unit of work; the caller commits."""
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from billing.domain.issuers import IssuerSettings, Seller, check_closable
from billing.tables import ClosedFiscalYear, Issuer, IssuerVersion
from shared.db import UnitOfWork
from shared.problems import DomainError, NotFound


@dataclass(frozen=True)
class Issuing:
    """Who issues a document now: its series code, the mentions printed, the settings its totals follow."""

    issuer_id: UUID
    code: str
    seller: Seller
    settings: IssuerSettings


def settings_of(issuer: Issuer) -> IssuerSettings:
    return IssuerSettings.model_validate(issuer.mentions["settings"])


def issuing(issuer: Issuer) -> Issuing:
    settings = settings_of(issuer)
    return Issuing(issuer.id, issuer.code, settings.mentions(issuer.id, issuer.version), settings)


async def _ensure_free(uow: UnitOfWork, code: str, is_master: bool, organiser_id: UUID | None) -> None:
    if is_master and await uow.session.scalar(select(Issuer.id).where(Issuer.is_master)):
        raise DomainError("master_exists", "The master entity is already an issuer; change its settings instead.")
    if not is_master and await uow.session.scalar(select(Issuer.id).where(Issuer.code == code)):
        raise DomainError("code_taken", f"Another issuer's series already start with {code}.")
    if organiser_id and await uow.session.scalar(select(Issuer.id).where(Issuer.organiser_id == organiser_id)):
        raise DomainError("organiser_has_issuer", f"Organiser {organiser_id} already has its issuer.")


async def create_issuer(uow: UnitOfWork, settings: IssuerSettings, code: str, is_master: bool,
                        organiser_id: UUID | None, invoices_all_stays: bool, by: str) -> Issuer:
    """The master entity has no code (its series are F2026, A2026); another issuer has one of its own."""
    if is_master == bool(code):
        raise DomainError("issuer_code", "The master entity's series have no code; every other issuer needs one.")
    await _ensure_free(uow, code, is_master, organiser_id)
    issuer = Issuer(id=uuid4(), code=code, is_master=is_master, organiser_id=organiser_id,
                    invoices_all_stays=invoices_all_stays, version=0)
    uow.session.add(issuer)
    _new_version(uow, issuer, settings, by)
    return issuer


async def change_issuer(uow: UnitOfWork, issuer_id: UUID, settings: IssuerSettings, invoices_all_stays: bool,
                        by: str) -> Issuer:
    """A new version: documents issued from now on print it, documents already issued keep theirs."""
    issuer = await get_issuer(uow, issuer_id, lock=True)
    issuer.invoices_all_stays = invoices_all_stays
    _new_version(uow, issuer, settings, by)
    return issuer


def _new_version(uow: UnitOfWork, issuer: Issuer, settings: IssuerSettings, by: str) -> None:
    issuer.version += 1
    stored = settings.model_dump(mode="json")
    issuer.mentions = {"settings": stored, "printed": settings.mentions(issuer.id, issuer.version)
                       .model_dump(mode="json")}
    issuer.default_vat_rate, issuer.prices_include_tax = settings.default_vat_rate, settings.prices_include_tax
    issuer.rounding = settings.rounding.value
    issuer.fiscal_first_start, issuer.fiscal_first_end = settings.fiscal_first_start, settings.fiscal_first_end
    issuer.updated_at = uow.clock.now()
    uow.session.add(IssuerVersion(issuer_id=issuer.id, version=issuer.version, settings=stored,
                                  created_at=issuer.updated_at, created_by=by))


async def get_issuer(uow: UnitOfWork, issuer_id: UUID, lock: bool = False) -> Issuer:
    issuer = await uow.session.get(Issuer, issuer_id, with_for_update=lock, populate_existing=lock)
    if issuer is None:
        raise NotFound("issuer", issuer_id)
    return issuer


async def versions(uow: UnitOfWork, issuer_id: UUID) -> list[IssuerVersion]:
    await get_issuer(uow, issuer_id)
    return list(await uow.session.scalars(
        select(IssuerVersion).where(IssuerVersion.issuer_id == issuer_id).order_by(IssuerVersion.version)))


async def master(uow: UnitOfWork, demo: IssuerSettings | None) -> Issuer:
    """The master entity's issuer. A development platform gets the demo one at its first document; elsewhere,
    nothing is issued before an admin has set it."""
    found = await uow.session.scalar(select(Issuer).where(Issuer.is_master))
    if found is not None:
        return found
    if demo is None:
        raise DomainError("no_issuer", "No issuer is configured: an admin sets the master entity's legal mentions "
                                       "(POST /issuers) before any document is issued.")
    issuer_id = uuid4()
    created = await uow.session.execute(
        insert(Issuer).values(id=issuer_id, code="", is_master=True, organiser_id=None, invoices_all_stays=True,
                              version=0, mentions={}, default_vat_rate=demo.default_vat_rate,
                              prices_include_tax=demo.prices_include_tax, rounding=demo.rounding.value,
                              fiscal_first_start=demo.fiscal_first_start, fiscal_first_end=demo.fiscal_first_end,
                              updated_at=uow.clock.now())
        .on_conflict_do_nothing().returning(Issuer.id))
    if created.first() is None:  # another replica created it meanwhile
        return await uow.session.scalar(select(Issuer).where(Issuer.is_master))
    issuer = await get_issuer(uow, issuer_id, lock=True)
    _new_version(uow, issuer, demo, "development")
    return issuer


async def issuer_for(uow: UnitOfWork, organiser_id: UUID | None, demo: IssuerSettings | None) -> Issuing:
    """The master entity invoices every stay, unless it lets each organiser with an issuer invoice its own."""
    chief = await master(uow, demo)
    if organiser_id is not None and not chief.invoices_all_stays:
        own = await uow.session.scalar(select(Issuer).where(Issuer.organiser_id == organiser_id))
        if own is not None:
            return issuing(own)
    return issuing(chief)


async def fiscal_years(uow: UnitOfWork, issuer_id: UUID,
                       today: date) -> list[tuple[date, date, ClosedFiscalYear | None]]:
    issuer = await get_issuer(uow, issuer_id)
    closed = {c.starts_on: c for c in await uow.session.scalars(
        select(ClosedFiscalYear).where(ClosedFiscalYear.issuer_id == issuer_id))}
    return [(start, end, closed.get(start)) for start, end in settings_of(issuer).calendar.years_until(today)]


async def close_fiscal_year(uow: UnitOfWork, issuer_id: UUID, starts_on: date, today: date,
                            by: str) -> ClosedFiscalYear:
    issuer = await get_issuer(uow, issuer_id, lock=True)
    start, end = check_closable(settings_of(issuer).calendar, starts_on, today)
    if await uow.session.get(ClosedFiscalYear, (issuer_id, start)) is not None:
        raise DomainError("fiscal_year_closed", f"The fiscal year starting {start.isoformat()} is already closed.")
    closed = ClosedFiscalYear(issuer_id=issuer_id, starts_on=start, ends_on=end, closed_at=uow.clock.now(),
                              closed_by=by)
    uow.session.add(closed)
    return closed


async def check_open(uow: UnitOfWork, issuing: Issuing, day: date) -> None:
    """A document is never dated in a closed fiscal year (nor before the first one)."""
    start, end = issuing.settings.calendar.year_of(day)
    if await uow.session.get(ClosedFiscalYear, (issuing.issuer_id, start)) is not None:
        raise DomainError("fiscal_year_closed", f"The fiscal year {start.isoformat()} – {end.isoformat()} is closed: "
                                                f"no document can be dated {day.isoformat()}.")
