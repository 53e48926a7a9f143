"""`python -m stock.reconcile`: compare every departure's places with its holds; exit 1 on drift, 2 if it cannot check.

For ops and cron: the same check as GET /reconciliation, straight on the service's database.
"""
import asyncio
import sys

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import async_sessionmaker

from shared.clock import clock_from
from shared.db import UnitOfWork, make_engine
from stock import services
from stock.app import StockSettings
from stock.services import Drift

PAGE = 500


async def all_drifts(settings: StockSettings) -> list[Drift]:
    engine = make_engine(settings.database_url, pool_size=1)
    found: list[Drift] = []
    try:
        async with UnitOfWork(async_sessionmaker(engine), clock_from(settings.clock_file), "stock") as uow:
            cursor = None
            while True:
                page, cursor = await services.drifts(uow, PAGE, cursor)
                found += page
                if cursor is None:
                    return found
    finally:
        await engine.dispose()


def report(drifts: list[Drift]) -> str:
    if not drifts:
        return "stock: no drift, every departure's places match its holds"
    lines = [f"stock: {len(drifts)} departure(s) drifting (stored -> recomputed from holds)"]
    for d in drifts:
        changes = ", ".join(
            f"{bucket} {getattr(d.stored, bucket)} -> {getattr(d.recomputed, bucket)}"
            for bucket in ("held", "overdue", "confirmed")
            if getattr(d.stored, bucket) != getattr(d.recomputed, bucket)
        )
        lines.append(f"  departure {d.departure_id} (stay {d.stay_id}): {changes}")
    return "\n".join(lines)


def main() -> None:
    try:
        drifts = asyncio.run(all_drifts(StockSettings()))
    except (OSError, SQLAlchemyError) as error:
        print(f"stock: cannot check the places: {error}", file=sys.stderr)
        sys.exit(2)
    print(report(drifts))
    sys.exit(1 if drifts else 0)


if __name__ == "__main__":
    main()
