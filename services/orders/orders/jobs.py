"""The lifecycle timers: options past their deadline expire; expired options are archived after the second delay;
validated orders not invoiced by hand are invoiced on their departure day (Paris date), once."""
from sqlalchemy import func, literal_column, select

from orders import services
from orders.domain.dates import paris_date
from orders.domain.lifecycle import Status
from orders.tables import Order
from shared.db import UnitOfWork
from shared.jobs import Job

BATCH = 500


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
