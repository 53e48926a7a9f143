"""Idempotency-Key for POSTs that create or pay: a retried request gets the first answer and changes nothing more."""
import zlib
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Header
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select, text

from shared.db import ProcessedRequest, UnitOfWork

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=200, description="Makes a retried POST safe."),
]


async def once(
    uow: UnitOfWork, key: str | None, scope: str, action: Callable[[], Awaitable[BaseModel]], status_code: int = 201
) -> JSONResponse:
    """Run `action` and commit, or replay the answer stored for this key.

    Concurrent retries with one key are serialised by an advisory lock held until commit.
    """
    if key is not None:
        await uow.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": zlib.crc32(f"{scope}:{key}".encode())})
        first = await uow.session.scalar(
            select(ProcessedRequest).where(ProcessedRequest.key == key, ProcessedRequest.scope == scope)
        )
        if first is not None:
            return JSONResponse(first.body, status_code=first.status_code, headers={"Idempotent-Replayed": "true"})
    body = jsonable_encoder(await action())
    if key is not None:
        uow.session.add(ProcessedRequest(key=key, scope=scope, status_code=status_code, body=body,
                                         created_at=uow.clock.now()))
    await uow.commit()
    return JSONResponse(body, status_code=status_code)
