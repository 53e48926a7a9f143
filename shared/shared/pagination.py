"""Cursor pagination: `limit` and an opaque `cursor`; the response gives the next cursor, or null at the end."""
import base64
import json
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shared.problems import Problem

T = TypeVar("T")
Limit = Annotated[int, Query(ge=1, le=200, description="Page size.")]
Cursor = Annotated[str | None, Query(description="Opaque cursor from the previous page's `next_cursor`.")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps([str(v) for v in values]).encode()).decode()


def decode_cursor(cursor: str, arity: int) -> list[str]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeDecodeError) as error:
        raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.") from error
    if not isinstance(values, list) or len(values) != arity or not all(isinstance(v, str) for v in values):
        raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.")
    return values


async def keyset_page(
    session: AsyncSession,
    stmt: Select[Any],
    created: InstrumentedAttribute[datetime],
    identifier: InstrumentedAttribute[UUID],
    limit: int,
    cursor: str | None,
) -> tuple[list[Any], str | None]:
    """One page of `stmt` in creation order, resuming after the cursor's (created, id)."""
    if cursor:
        at, last_id = decode_cursor(cursor, 2)
        try:
            key = (datetime.fromisoformat(at), identifier.type.python_type(last_id))
        except ValueError as error:
            raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.") from error
        stmt = stmt.where(tuple_(created, identifier) > key)
    rows = list((await session.execute(stmt.order_by(created, identifier).limit(limit + 1))).scalars())
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode_cursor(getattr(last, created.key).isoformat(), getattr(last, identifier.key))
