"""Birthdays of clients and participants in a date range, the year ignored, in the order they come from
the start of the range: one `UNION ALL` of the two tables' people, paged on (position in the range, id).
"""
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Integer, Select, case, extract, literal, select, tuple_, union_all

from clients.domain.birthdays import birthday_in, covered_days, day_key
from clients.domain.record import InvalidClient
from clients.tables import Client, Participant
from shared.db import UnitOfWork
from shared.pagination import decode_cursor, encode_cursor
from shared.problems import Problem


@dataclass(frozen=True)
class Birthday:
    kind: str
    id: UUID
    client_id: UUID
    last_name: str
    first_name: str
    birth_date: date
    birthday: date
    age: int


async def birthdays(uow: UnitOfWork, start: date, end: date, limit: int, cursor: str | None
                    ) -> tuple[list[Birthday], str | None]:
    try:
        keys = covered_days(start, end)
    except InvalidClient as error:
        errors = [{"field": f"query.{e.field}", "message": e.message, "type": "value_error"} for e in error.errors]
        raise Problem(422, "invalid_request", "Invalid request", str(error), errors=errors) from error
    people = union_all(*(_born(table, day_key(start), keys) for table in (Client, Participant))).subquery()
    stmt = select(people)
    if cursor:
        at, last_id = decode_cursor(cursor, 2)
        try:
            after = (int(at), UUID(last_id))
        except ValueError as error:
            raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.") from error
        stmt = stmt.where(tuple_(people.c.position, people.c.id) > after)
    rows = (await uow.session.execute(stmt.order_by(people.c.position, people.c.id).limit(limit + 1))).all()
    found = []
    for person in rows[:limit]:
        birthday = birthday_in(person.birth_date, start, end)
        found.append(Birthday(person.kind, person.id, person.client_id, person.last_name or "",
                              person.first_name or "", person.birth_date, birthday,
                              birthday.year - person.birth_date.year))
    next_cursor = encode_cursor(rows[limit - 1].position, rows[limit - 1].id) if len(rows) > limit else None
    return found, next_cursor


def _born(table: type[Client] | type[Participant], start_key: int, keys: set[int]) -> Select[Any]:
    """The people of one table with a birth date among `keys`, and their position from the range's start."""
    key = (extract("month", table.birth_date) * 100 + extract("day", table.birth_date)).cast(Integer)
    offset = key - start_key
    position = case((offset >= 0, offset), else_=offset + 10_000)
    if table is Client:
        stmt = select(literal("client").label("kind"), Client.id, Client.id.label("client_id"),
                      Client.last_name, Client.first_name, Client.birth_date, position.label("position"))
    else:
        stmt = (select(literal("participant").label("kind"), Participant.id, Participant.client_id,
                       Participant.last_name, Participant.first_name, Participant.birth_date,
                       position.label("position"))
                .join(Client, Client.id == Participant.client_id))
    stmt = stmt.where(Client.deleted_at.is_(None), table.birth_date.is_not(None))
    return stmt.where(key.in_(sorted(keys))) if len(keys) < 366 else stmt
