"""`python -m stock.reconcile`: compare every departure's and extra's places with the holds, and find the holds of
orders that orders does not know; exit 1 on drift or such a hold, 2 if it cannot check.

For ops and cron: the same checks as GET /reconciliation, /reconciliation/extras and /reconciliation/holds, straight
on the database (and asking orders, with the service's settings: COLO_ORDERS_URL, COLO_JWT_SECRET).
"""
import asyncio
import sys
from functools import partial

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import async_sessionmaker

from shared.clock import clock_from
from shared.db import UnitOfWork, make_engine
from shared.problems import Problem
from shared.settings import MissingSecrets
from stock import reports
from stock.app import StockSettings, orders_of
from stock.gateways import Orders
from stock.reports import Drift, ExtraDrift, UnknownOrderHold

PAGE = 500
Found = Drift | ExtraDrift | UnknownOrderHold


async def all_drifts(settings: StockSettings, orders: Orders | None = None) -> list[Found]:
    """Every drifting departure, then every drifting extra, then every hold of an order orders does not know."""
    engine = make_engine(settings.database_url, pool_size=1)
    orders = orders or orders_of(settings)
    found: list[Found] = []
    try:
        async with UnitOfWork(async_sessionmaker(engine), clock_from(settings.clock_file), "stock") as uow:
            for check in (reports.drifts, reports.extra_drifts, partial(reports.unknown_order_holds, orders=orders)):
                cursor = None
                while True:
                    page, cursor = await check(uow, limit=PAGE, cursor=cursor)
                    found += page
                    if cursor is None:
                        break
            return found
    finally:
        await orders.close()
        await engine.dispose()


BUCKETS = ("held", "overdue", "confirmed")


def report(found: list[Found]) -> str:
    if not found:
        return "stock: no drift, every departure's and extra's places match their holds, every hold has its order"
    drifts = [d for d in found if not isinstance(d, UnknownOrderHold)]
    unknown = [h for h in found if isinstance(h, UnknownOrderHold)]
    lines = [f"stock: {len(drifts)} departure(s) or extra(s) drifting (stored -> recomputed from holds)"] if drifts else []
    for d in drifts:
        if isinstance(d, Drift):
            pairs = [(getattr(d.stored, b), getattr(d.recomputed, b)) for b in BUCKETS]
            what = f"departure {d.departure_id} (stay {d.stay_id})"
        else:
            pairs = list(zip(d.stored, d.recomputed, strict=True))
            what = f"extra {d.extra_id} (departure {d.departure_id})"
        changes = ", ".join(f"{b} {old} -> {new}" for b, (old, new) in zip(BUCKETS, pairs, strict=True) if old != new)
        lines.append(f"  {what}: {changes}")
    if unknown:
        lines.append(f"stock: {len(unknown)} hold(s) of orders that orders does not know (release them with "
                     "POST /holds/{order_id}/release)")
    lines += [f"  order {h.order_id} on departure {h.departure_id}: {h.places} place(s) {h.state}" for h in unknown]
    return "\n".join(lines)


def main() -> None:
    settings = StockSettings()
    try:
        settings.require()
        drifts = asyncio.run(all_drifts(settings))
    except (OSError, SQLAlchemyError, MissingSecrets) as error:
        print(f"stock: cannot check the places: {error}", file=sys.stderr)
        sys.exit(2)
    except Problem as error:
        print(f"stock: cannot check the holds against orders: {error.detail}", file=sys.stderr)
        sys.exit(2)
    print(report(drifts))
    sys.exit(1 if drifts else 0)


if __name__ == "__main__":
    main()
