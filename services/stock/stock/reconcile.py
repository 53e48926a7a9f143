"""`python -m stock.reconcile`: compare every departure's and extra's places with the holds; exit 1 on drift,
2 if it cannot check.

For ops and cron: the same checks as GET /reconciliation and /reconciliation/extras, straight on the database.
"""
import asyncio
import sys

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import async_sessionmaker

from shared.clock import clock_from
from shared.db import UnitOfWork, make_engine
from stock import reports
from stock.app import StockSettings
from stock.reports import Drift, ExtraDrift

PAGE = 500


async def all_drifts(settings: StockSettings) -> list[Drift | ExtraDrift]:
    """Every drifting departure, then every drifting extra."""
    engine = make_engine(settings.database_url, pool_size=1)
    found: list[Drift | ExtraDrift] = []
    try:
        async with UnitOfWork(async_sessionmaker(engine), clock_from(settings.clock_file), "stock") as uow:
            for check in (reports.drifts, reports.extra_drifts):
                cursor = None
                while True:
                    page, cursor = await check(uow, PAGE, cursor)
                    found += page
                    if cursor is None:
                        break
            return found
    finally:
        await engine.dispose()


BUCKETS = ("held", "overdue", "confirmed")


def report(drifts: list[Drift | ExtraDrift]) -> str:
    if not drifts:
        return "stock: no drift, every departure's and extra's places match their holds"
    lines = [f"stock: {len(drifts)} departure(s) or extra(s) drifting (stored -> recomputed from holds)"]
    for d in drifts:
        if isinstance(d, Drift):
            pairs = [(getattr(d.stored, b), getattr(d.recomputed, b)) for b in BUCKETS]
            what = f"departure {d.departure_id} (stay {d.stay_id})"
        else:
            pairs = list(zip(d.stored, d.recomputed, strict=True))
            what = f"extra {d.extra_id} (departure {d.departure_id})"
        changes = ", ".join(f"{b} {old} -> {new}" for b, (old, new) in zip(BUCKETS, pairs, strict=True) if old != new)
        lines.append(f"  {what}: {changes}")
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
