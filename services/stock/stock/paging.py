"""Keyset pagination on (a sort column, id), ascending or descending.

shared.pagination.keyset_page pages in creation order only; sorted listings need the sort value in
the cursor. The cursor also names its sort, so one taken from another sort is refused, not misread.
"""
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shared.pagination import decode_cursor, encode_cursor
from shared.problems import Problem


def _finite_decimal(value: str) -> Decimal:
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


PARSERS = {date: date.fromisoformat, Decimal: _finite_decimal}


def _invalid() -> Problem:
    return Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave for this sort.")


async def sorted_page(
    session: AsyncSession,
    stmt: Select[Any],
    sort: str,
    column: InstrumentedAttribute[Any],
    identifier: InstrumentedAttribute[UUID],
    limit: int,
    cursor: str | None,
) -> tuple[list[Any], str | None]:
    """One page of `stmt` ordered by `column` then id; `sort` is its name, with a leading '-' for descending."""
    descending = sort.startswith("-")
    if cursor:
        name, value, last_id = decode_cursor(cursor, 3)
        if name != sort:
            raise _invalid()
        try:
            key = (PARSERS[column.type.python_type](value), UUID(last_id))
        except (ValueError, InvalidOperation) as error:
            raise _invalid() from error
        after = tuple_(column, identifier)
        stmt = stmt.where(after < key if descending else after > key)
    order = (column.desc(), identifier.desc()) if descending else (column, identifier)
    rows = list((await session.execute(stmt.order_by(*order).limit(limit + 1))).scalars())
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode_cursor(sort, getattr(last, column.key), getattr(last, identifier.key))
