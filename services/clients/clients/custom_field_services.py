"""Use cases of custom fields: their definitions, in the operator's order, and clients' values."""
from dataclasses import asdict, replace
from typing import Any
from uuid import UUID

from sqlalchemy import Select, exists, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from clients.domain.custom_fields import Definition, ensure_retype_allowed, new_definition, parse_value
from clients.domain.record import ensure_changeable
from clients.services import _reported_as_invalid_request, details_of, get_client
from clients.tables import CustomField, CustomValue
from shared.db import UnitOfWork
from shared.pagination import decode_cursor, encode_cursor
from shared.problems import DomainError, NotFound, Problem


def _definition(field: CustomField) -> Definition:
    return Definition(name=field.name, type=field.type, position=field.position,
                      options=tuple(field.options))


async def _flush_unique(uow: UnitOfWork, name: str) -> None:
    await uow.flush_unique(DomainError("custom_field_name_taken", f"A custom field is already named {name!r}."))


async def _ensure_name_free(uow: UnitOfWork, name: str, but: UUID | None = None) -> None:
    stmt = select(exists().where(func.lower(CustomField.name) == name.lower(), CustomField.id != but))
    if await uow.session.scalar(stmt):
        raise DomainError("custom_field_name_taken", f"A custom field is already named {name!r}.")


async def define(uow: UnitOfWork, definition: Definition) -> CustomField:
    with _reported_as_invalid_request():
        record = new_definition(definition)
    await _ensure_name_free(uow, record.name)
    now = uow.clock.now()
    field = CustomField(**{**asdict(record), "options": list(record.options)}, created_at=now, updated_at=now)
    uow.session.add(field)
    await _flush_unique(uow, record.name)
    return field


async def get_field(uow: UnitOfWork, field_id: UUID, for_update: bool = False) -> CustomField:
    field = await uow.session.get(CustomField, field_id, with_for_update=for_update)
    if field is None:
        raise NotFound("custom field", field_id)
    return field


async def redefine(uow: UnitOfWork, field_id: UUID, patch: dict[str, Any]) -> CustomField:
    """Rename, reorder, retype or change the options, keeping every value already entered valid."""
    field = await get_field(uow, field_id, for_update=True)
    current = _definition(field)
    with _reported_as_invalid_request():
        revised = new_definition(replace(current, **patch))
    values = select(CustomValue.value).where(CustomValue.field_id == field_id)
    used = {value for value in await uow.session.scalars(values) if isinstance(value, str)}
    values_exist = await uow.session.scalar(select(exists().where(CustomValue.field_id == field_id)))
    ensure_retype_allowed(current, revised, bool(values_exist), used if current.type == "list" else set())
    if revised.name.lower() != current.name.lower():
        await _ensure_name_free(uow, revised.name, but=field_id)
    for name, value in asdict(revised).items():
        setattr(field, name, list(value) if name == "options" else value)
    field.updated_at = uow.clock.now()
    await _flush_unique(uow, revised.name)
    return field


def _by_position(stmt: Select[Any], limit: int, cursor: str | None) -> Select[Any]:
    if cursor:
        position, last_id = decode_cursor(cursor, 2)
        try:
            after = (int(position), UUID(last_id))
        except ValueError as error:
            raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.") from error
        stmt = stmt.where(tuple_(CustomField.position, CustomField.id) > after)
    return stmt.order_by(CustomField.position, CustomField.id).limit(limit + 1)


def _next(rows: list[Any], limit: int, field_of: Any) -> tuple[list[Any], str | None]:
    if len(rows) <= limit:
        return rows, None
    last = field_of(rows[limit - 1])
    return rows[:limit], encode_cursor(last.position, last.id)


async def list_fields(uow: UnitOfWork, limit: int, cursor: str | None) -> tuple[list[CustomField], str | None]:
    rows = list(await uow.session.scalars(_by_position(select(CustomField), limit, cursor)))
    return _next(rows, limit, lambda row: row)


async def client_values(uow: UnitOfWork, client_id: UUID, limit: int, cursor: str | None
                        ) -> tuple[list[tuple[CustomField, Any]], str | None]:
    """Every defined field in order, with this client's value or None."""
    await get_client(uow, client_id)
    stmt = select(CustomField, CustomValue.value).outerjoin(
        CustomValue, (CustomValue.field_id == CustomField.id) & (CustomValue.client_id == client_id))
    rows = [(field, value) for field, value in await uow.session.execute(_by_position(stmt, limit, cursor))]
    return _next(rows, limit, lambda row: row[0])


async def set_value(uow: UnitOfWork, client_id: UUID, field_id: UUID, raw: Any) -> tuple[CustomField, Any]:
    """Store the client's value, checked against the field's type; None clears it."""
    client = await get_client(uow, client_id, for_update=True)
    ensure_changeable(details_of(client))
    field = await get_field(uow, field_id)
    with _reported_as_invalid_request():
        value = parse_value(_definition(field), raw)
    if value is None:
        await uow.session.execute(CustomValue.__table__.delete().where(
            CustomValue.client_id == client_id, CustomValue.field_id == field_id))
        return field, None
    stmt = insert(CustomValue).values(client_id=client_id, field_id=field_id, value=value,
                                      updated_at=uow.clock.now())
    await uow.session.execute(stmt.on_conflict_do_update(
        index_elements=[CustomValue.client_id, CustomValue.field_id],
        set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at}))
    return field, value
