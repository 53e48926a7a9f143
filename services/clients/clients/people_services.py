"""Use cases of a client's legal guardians and contacts. Each change is a change of the client: its
version is bumped and its new state, guardians' and contacts' e-mails included, is emitted."""
from dataclasses import asdict, fields
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import select

from clients.domain.people import ContactDetails, GuardianDetails, new_person, revise_person
from clients.domain.record import ensure_changeable
from clients.services import _changed, _reported_as_invalid_request, details_of, get_client
from clients.tables import ClientContact, LegalGuardian
from shared.db import UnitOfWork
from shared.pagination import keyset_page
from shared.problems import NotFound

Row = TypeVar("Row", LegalGuardian, ClientContact)
DETAILS: dict[type, type] = {LegalGuardian: GuardianDetails, ClientContact: ContactDetails}
NAMES = {LegalGuardian: "legal guardian", ClientContact: "contact"}


def _details(row: LegalGuardian | ClientContact) -> Any:
    cls = DETAILS[type(row)]
    values = {f.name: getattr(row, f.name) for f in fields(cls)}
    if "address_lines" in values:
        values["address_lines"] = tuple(values["address_lines"])
    return cls(**values)


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


async def add_person(uow: UnitOfWork, client_id: UUID, details: GuardianDetails | ContactDetails) -> Any:
    client = await get_client(uow, client_id, for_update=True)
    ensure_changeable(details_of(client))
    with _reported_as_invalid_request():
        record = new_person(details, uow.clock.now().date())
    now = uow.clock.now()
    table = LegalGuardian if isinstance(record, GuardianDetails) else ClientContact
    row = table(client_id=client.id, **_stored(asdict(record)), created_at=now, updated_at=now)
    getattr(client, _collection(table)).append(row)
    await uow.session.flush()
    _changed(uow, client)
    return row


async def get_person(uow: UnitOfWork, table: type[Row], client_id: UUID, person_id: UUID,
                     guardian_id: UUID | None = None) -> Row:
    """The client's guardian or contact; a legal guardian's account (`guardian_id`) sees only its own record."""
    row = await uow.session.get(table, person_id)
    if row is None or row.client_id != client_id or guardian_id not in (None, person_id):
        raise NotFound(NAMES[table], person_id)
    return row


async def update_person(uow: UnitOfWork, table: type[Row], client_id: UUID, person_id: UUID,
                        patch: dict[str, Any]) -> Row:
    """Apply what really changes; nothing changed bumps nothing and emits nothing."""
    client = await get_client(uow, client_id, for_update=True)
    row = await get_person(uow, table, client_id, person_id)
    with _reported_as_invalid_request():
        changes = revise_person(_details(row), patch, uow.clock.now().date())
    if not changes:
        return row
    ensure_changeable(details_of(client))
    for name, value in _stored(changes).items():
        setattr(row, name, value)
    row.updated_at = uow.clock.now()
    _changed(uow, client)
    return row


async def remove_person(uow: UnitOfWork, table: type[Row], client_id: UUID, person_id: UUID) -> None:
    client = await get_client(uow, client_id, for_update=True)
    row = await get_person(uow, table, client_id, person_id)
    ensure_changeable(details_of(client))
    for participant in client.participants if table is LegalGuardian else ():
        participant.guardian_links = [link for link in participant.guardian_links if link.legal_guardian_id != row.id]
    await uow.session.flush()  # the links first: the guardian's row goes after them
    getattr(client, _collection(table)).remove(row)
    await uow.session.flush()
    _changed(uow, client)


async def list_people(uow: UnitOfWork, table: type[Row], client_id: UUID, limit: int, cursor: str | None,
                      guardian_id: UUID | None = None) -> tuple[list[Row], str | None]:
    """The client's guardians or contacts; a legal guardian's account (`guardian_id`) sees only itself."""
    await get_client(uow, client_id)
    stmt = select(table).where(table.client_id == client_id)
    if guardian_id is not None:
        stmt = stmt.where(table.id == guardian_id)
    return await keyset_page(uow.session, stmt, table.created_at, table.id, limit, cursor)


def _collection(table: type) -> str:
    return "legal_guardians" if table is LegalGuardian else "contacts"
