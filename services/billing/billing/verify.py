"""`colo-billing-verify`: verify the hash chain of every issued document (`COLO_DATABASE_URL`); exit 1 naming the
first document that breaks it."""
import asyncio
import sys

from sqlalchemy.ext.asyncio import async_sessionmaker

from billing import integrity
from billing.app import BillingSettings
from shared.clock import SystemClock
from shared.db import UnitOfWork, make_engine


async def verify(database_url: str) -> tuple[int, str]:
    """The exit status and the line printed."""
    engine = make_engine(database_url, pool_size=1, name="colo-billing-verify")
    try:
        async with UnitOfWork(async_sessionmaker(engine), SystemClock(), "billing") as uow:
            checked, broken = await integrity.verify(uow)
    finally:
        await engine.dispose()
    if broken is None:
        return 0, f"{checked} documents: the chain holds"
    return 1, f"{checked} documents checked: {broken.kind} {broken.reference} breaks the chain ({broken.reason})"


def main() -> None:
    status, line = asyncio.run(verify(BillingSettings().database_url))
    print(line)
    sys.exit(status)
