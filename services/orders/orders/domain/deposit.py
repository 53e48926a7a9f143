"""The deposit due at booking (seed 004) and the payment means the front office may offer.

Booking fewer than the threshold days before departure asks the late percentage; then, unless the
master entity allows other means even when late, the front office offers card payment only.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.money import quantize

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class DepositPolicy:
    percent: Decimal
    late_threshold_days: int
    late_percent: Decimal
    other_means_when_late: bool


@dataclass(frozen=True)
class Deposit:
    percent: Decimal
    amount: Decimal
    late: bool
    front_office_means: tuple[str, ...]


def deposit_due(policy: DepositPolicy, total: Decimal, booked_on: date, departure_on: date) -> Deposit:
    late = (departure_on - booked_on).days < policy.late_threshold_days
    percent = policy.late_percent if late else policy.percent
    means = ("card",) if late and not policy.other_means_when_late else ("card", "other")
    return Deposit(quantize(percent), min(quantize(total * percent / HUNDRED), quantize(total)), late, means)
