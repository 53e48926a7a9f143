"""The lifecycle timers: options past their deadline expire; expired options are archived after the second delay."""
from datetime import timedelta

from sqlalchemy import select

from orders import services
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
        limit = uow.clock.now() - timedelta(days=expired_option_days)
        due = select(Order).where(Order.status == Status.OPTION_EXPIRED, Order.option_expired_at <= limit)
        for order in await uow.session.scalars(due.limit(BATCH).with_for_update(skip_locked=True)):
            await services.archive(uow, order, services.SYSTEM,
                                   f"Archivage automatique : option annulable depuis plus de {expired_option_days} jour(s).")

    return [Job("expire_options", expire_options), Job("archive_expired_options", archive_expired_options)]
