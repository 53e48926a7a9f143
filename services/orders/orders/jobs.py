"""The lifecycle timers: options past their deadline expire; expired options are archived after the second delay;
validated orders not invoiced by hand are invoiced on their departure day (Paris date), once. And what does not
progress is re-driven: an order still pending or an invoicing request still unanswered after the configured delay."""
from datetime import timedelta

from prometheus_client import Counter
from sqlalchemy import func, literal_column, select

from orders import services
from orders.domain.dates import paris_date
from orders.domain.lifecycle import Status
from orders.tables import Order
from shared.db import UnitOfWork
from shared.jobs import Job
from shared.logging import log

BATCH = 500
REDRIVEN = Counter("colo_orders_redriven_total", "Orders found still pending (placement) or still waiting for their "
                   "invoice (invoicing) after the configured delay, and announced again", ["kind"])


def lifecycle_jobs(expired_option_days: int) -> list[Job]:
    async def expire_options(uow: UnitOfWork) -> None:
        due = select(Order).where(Order.status == Status.OPTION, Order.option_expires_at <= uow.clock.now())
        for order in await uow.session.scalars(due.limit(BATCH).with_for_update(skip_locked=True)):
            await services.expire(uow, order)

    async def archive_expired_options(uow: UnitOfWork) -> None:
        """Each order waits the expired-option days it was booked with (its organiser's), or the configured ones."""
        days = func.coalesce(Order.expired_option_days, expired_option_days)
        due = select(Order).where(Order.status == Status.OPTION_EXPIRED,
                                  Order.option_expired_at + days * literal_column("interval '1 day'") <= uow.clock.now())
        for order in await uow.session.scalars(due.limit(BATCH).with_for_update(skip_locked=True)):
            waited = expired_option_days if order.expired_option_days is None else order.expired_option_days
            await services.archive(uow, order, services.SYSTEM,
                                   f"Archivage automatique : option annulable depuis plus de {waited} jour(s).")

    async def invoice_departures(uow: UnitOfWork) -> None:
        today = paris_date(uow.clock.now())
        due = select(Order).where(Order.status == Status.VALIDATED, Order.invoiced.is_(False),
                                  Order.start_date <= today, Order.auto_invoicing_requested_at.is_(None))
        for order in await uow.session.scalars(due.limit(BATCH).with_for_update(skip_locked=True)):
            order.auto_invoicing_requested_at = uow.clock.now()
            await services.request_invoicing(uow, order.id, services.SYSTEM)

    return [Job("expire_options", expire_options), Job("archive_expired_options", archive_expired_options),
            Job("invoice_departures", invoice_departures)]


def redrive_job(after: timedelta) -> Job:
    """Orders pending and invoicing requests unanswered for longer than `after` are announced again (stock and billing
    apply an announcement once, whichever copy they get), counted in `colo_orders_redriven_total` with an alert
    line in the log."""
    waited = f"{after.total_seconds() / 60:g} min"

    async def redrive_stuck(uow: UnitOfWork) -> None:
        since = uow.clock.now() - after
        pending = select(Order).where(Order.status == Status.PENDING, Order.updated_at <= since)
        placements = list(await uow.session.scalars(pending.limit(BATCH).with_for_update(skip_locked=True)))
        for order in placements:
            await services.redrive_placement(uow, order, waited)
        unanswered = select(Order).where(Order.status == Status.VALIDATED, Order.invoiced.is_(False),
                                         Order.invoicing_requested_at <= since)
        invoicing = list(await uow.session.scalars(unanswered.limit(BATCH).with_for_update(skip_locked=True)))
        for order in invoicing:
            services.redrive_invoicing(uow, order, waited)
        for kind, orders in (("placement", placements), ("invoicing", invoicing)):
            if orders:
                REDRIVEN.labels(kind).inc(len(orders))
                log.error("orders.stuck_redriven", kind=kind, count=len(orders), after=waited,
                          references=[order.reference for order in orders])

    return Job("redrive_stuck", redrive_stuck)
