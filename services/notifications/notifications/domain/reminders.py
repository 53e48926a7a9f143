"""Which reminders an order is due, on the organiser's clock: an option's deadline approaching, the balance or the
missing documents before departure. Each has a key: the same key is never sent twice, and a reminder stops as soon
as what it reminds of is no longer true (the option confirmed, the order settled, the file complete)."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from notifications.domain.mails import MailTemplate

ReminderKind = Literal["option", "balance", "documents"]
TEMPLATE: dict[ReminderKind, MailTemplate] = {"option": MailTemplate.OPTION_REMINDER,
                                              "balance": MailTemplate.BALANCE_REMINDER,
                                              "documents": MailTemplate.DOCUMENTS_REMINDER}


@dataclass(frozen=True)
class Delays:
    option_hours: float
    """Hours before an option's deadline."""
    balance_days: int
    """Days before departure, for an unsettled order."""
    documents_days: int
    """Days before departure, for an incomplete file."""


@dataclass(frozen=True)
class OrderFacts:
    status: str
    total: Decimal
    amount_paid: Decimal
    settled: bool
    option_expires_at: datetime | None
    missing_documents: list[str] | None
    start_date: date


def due(order: OrderFacts, now: datetime, time_zone: ZoneInfo, delays: Delays) -> list[tuple[ReminderKind, str]]:
    """The reminders due now, each with its key."""
    reminders: list[tuple[ReminderKind, str]] = []
    deadline = order.option_expires_at
    if order.status == "option" and deadline and deadline - timedelta(hours=delays.option_hours) <= now < deadline:
        reminders.append(("option", deadline.isoformat()))
    today, start = now.astimezone(time_zone).date(), order.start_date
    if order.status == "validated" and today < start:
        if not order.settled and order.amount_paid < order.total and today >= start - timedelta(delays.balance_days):
            reminders.append(("balance", start.isoformat()))
        if order.missing_documents and today >= start - timedelta(delays.documents_days):
            reminders.append(("documents", start.isoformat()))
    return reminders
