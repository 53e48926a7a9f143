"""Reminders of an unpaid balance: levels with their delay and text (friendly, firm, formal notice).

A client's debt is named by its oldest unpaid invoice (payments and credits pay the oldest first). Each level is
sent once for that debt, when the invoice is as late as the level says; nothing is sent once the balance is paid,
and a new debt starts again from the first level.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from billing.domain.statements import Entry

ZERO = Decimal("0.00")


class ReminderKind(StrEnum):
    FRIENDLY = "friendly"
    FIRM = "firm"
    FORMAL_NOTICE = "formal_notice"


class ReminderLevel(BaseModel):
    days_late: int = Field(ge=1, le=365, description="Days after the oldest unpaid invoice's date.")
    kind: ReminderKind
    text: str = Field(min_length=1, max_length=2000, description="The message, in French, above the statement.")


DEFAULT_LEVELS = [
    ReminderLevel(days_late=15, kind=ReminderKind.FRIENDLY, text=(
        "Sauf erreur de notre part, le solde de votre compte reste à régler. Si votre règlement est en cours, "
        "merci de ne pas tenir compte de ce message.")),
    ReminderLevel(days_late=30, kind=ReminderKind.FIRM, text=(
        "Malgré notre précédent rappel, le solde de votre compte reste impayé. Nous vous remercions de le régler "
        "sous huit jours.")),
    ReminderLevel(days_late=45, kind=ReminderKind.FORMAL_NOTICE, text=(
        "Mise en demeure : faute de règlement du solde de votre compte sous quinze jours, nous engagerons une "
        "procédure de recouvrement. Des pénalités de retard et l'indemnité forfaitaire de 40 € pour frais de "
        "recouvrement (clients professionnels) sont exigibles.")),
]


@dataclass(frozen=True)
class Due:
    """What a reminder is about: the balance, and the oldest unpaid invoice."""

    balance: Decimal
    oldest_reference: str
    oldest_on: date


def debt(entries: list[Entry], at: date) -> Due | None:
    """The client's debt at `at`, None when nothing is owed."""
    dated = [e for e in entries if e.on <= at]
    balance = sum((e.debit - e.credit for e in dated), ZERO)
    if balance <= 0:
        return None
    paying = sum((e.credit for e in dated), ZERO)
    for invoice in sorted((e for e in dated if e.debit), key=lambda e: (e.on, e.reference)):
        if paying < invoice.debit:
            return Due(balance, invoice.reference, invoice.on)
        paying -= invoice.debit
    return None


def level_due(levels: list[ReminderLevel], due: Due, at: date, last_sent: int | None) -> int | None:
    """The level (its index) to send now for this debt: the highest it is late enough for, if higher than the last
    one sent. A run missed for a while sends the level reached, not every one skipped."""
    late = (at - due.oldest_on).days
    reached = [i for i, level in enumerate(levels) if level.days_late <= late]
    if not reached or (last_sent is not None and reached[-1] <= last_sent):
        return None
    return reached[-1]
