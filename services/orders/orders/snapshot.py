"""The unit of work of a route that only reads: every statement sees the database as it was at the first.

An order is read in several statements (its row, then its participants, lines and terms, then its payments...),
and under PostgreSQL's default READ COMMITTED each statement sees what was committed since the one before. A
change committed in between, however atomic, then showed half-made: a client's erasure, one transaction, read as
participants anonymised while the client's own words were still there. A read-only REPEATABLE READ transaction
answers every statement from one snapshot and, reading only, never fails to serialise.
"""
from typing import Annotated

from fastapi import Depends

from shared.app import UoW
from shared.db import UnitOfWork


async def snapshot(uow: UoW) -> UnitOfWork:
    await uow.session.connection(
        execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True})
    return uow


Snapshot = Annotated[UnitOfWork, Depends(snapshot)]
