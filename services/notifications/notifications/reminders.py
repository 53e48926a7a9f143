"""Reminder use case: queue every reminder due now, each once. The caller commits."""
from datetime import timedelta
from uuid import uuid4

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert

from notifications import services
from notifications.domain.reminders import TEMPLATE, Delays, OrderFacts, due
from notifications.settings import NotificationsSettings
from notifications.tables import Departure, Order, Reminder
from shared.db import UnitOfWork
from shared.logging import log


def delays(settings: NotificationsSettings) -> Delays:
    return Delays(settings.option_reminder_hours, settings.balance_reminder_days, settings.documents_reminder_days)


async def queue_due(uow: UnitOfWork, settings: NotificationsSettings) -> int:
    """The reminder's row is claimed before its mail is queued, on a key it can only take once: a second replica,
    or this one after a crash, finds it taken and sends nothing."""
    now, wanted = uow.clock.now(), delays(settings)
    today = now.astimezone(settings.time_zone).date()
    horizon = today + timedelta(days=max(wanted.balance_days, wanted.documents_days))
    candidates = await uow.session.execute(
        select(Order, Departure).join(Departure, Departure.departure_id == Order.departure_id).where(or_(
            and_(Order.status == "option", Order.option_expires_at > now,
                 Order.option_expires_at <= now + timedelta(hours=wanted.option_hours)),
            and_(Order.status == "validated", Departure.start_date > today, Departure.start_date <= horizon),
        )))
    queued = 0
    for order, departure in candidates:
        facts = OrderFacts(order.status, order.total, order.amount_paid, order.settled, order.option_expires_at,
                           order.missing_documents, departure.start_date)
        for kind, key in due(facts, now, settings.time_zone, wanted):
            email_id = uuid4()
            try:
                async with uow.session.begin_nested():  # a client not known yet leaves its reminder for later
                    claimed = await uow.session.scalar(
                        insert(Reminder).values(order_id=order.order_id, kind=kind, key=key, email_id=email_id,
                                                sent_at=now).on_conflict_do_nothing().returning(Reminder.email_id))
                    if claimed is None:
                        continue
                    await services.queue_reminder(uow, settings, order, departure, TEMPLATE[kind], email_id)
            except services.NotYetKnown as error:
                log.warning("reminder.client_unknown", order_id=str(order.order_id), kind=kind, error=str(error))
                continue
            queued += 1
    return queued
