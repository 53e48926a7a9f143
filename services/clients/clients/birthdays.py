"""Birthdays in a date range, the year ignored, in the order they come from the start of the range.

Participants only for now: clients get theirs once the client record has a birth date, as a second
`SELECT` of the same columns joined with `UNION ALL` in `birthdays`.
"""
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import Integer, case, extract, literal, select, tuple_

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
    key = (extract("month", Participant.birth_date) * 100 + extract("day", Participant.birth_date)).cast(Integer)
    offset = key - day_key(start)
    position = case((offset >= 0, offset), else_=offset + 10_000)
    stmt = (select(literal("participant").label("kind"), Participant, position.label("position"))
            .join(Client, Client.id == Participant.client_id)
            .where(Client.deleted_at.is_(None), Participant.birth_date.is_not(None)))
    if len(keys) < 366:
        stmt = stmt.where(key.in_(sorted(keys)))
    if cursor:
        at, last_id = decode_cursor(cursor, 2)
        try:
            after = (int(at), UUID(last_id))
        except ValueError as error:
            raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.") from error
        stmt = stmt.where(tuple_(position, Participant.id) > after)
    rows = (await uow.session.execute(stmt.order_by(position, Participant.id).limit(limit + 1))).all()
    found = []
    for kind, person, _ in rows[:limit]:
        birthday = birthday_in(person.birth_date, start, end)
        found.append(Birthday(kind, person.id, person.client_id, person.last_name, person.first_name,
                              person.birth_date, birthday, birthday.year - person.birth_date.year))
    next_cursor = encode_cursor(rows[limit - 1].position, rows[limit - 1][1].id) if len(rows) > limit else None
    return found, next_cursor
