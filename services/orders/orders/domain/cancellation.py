"""What a cancellation costs, as seed 001 and the stay's cancellation schedule say.

Cancelled by the client: the fee is the percentage of the order total of the schedule's tier with the
smallest `days_before` that is still at least the days left before departure (none: no fee); the
client is refunded what was received minus the fee, or still owes the part of the fee not received.
Cancelled by the organiser: no fee, everything received is refunded. Commitments of third-party
payers not yet collected are not money received: they are simply not called in.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.money import quantize

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class FeeTier:
    days_before: int
    percent: Decimal


@dataclass(frozen=True)
class Settlement:
    days_before_departure: int
    fee_percent: Decimal
    fees: Decimal
    received: Decimal

    @property
    def refund_due(self) -> Decimal:
        return quantize(max(self.received - self.fees, Decimal(0)))

    @property
    def still_due(self) -> Decimal:
        """The part of the fees the client has not paid yet."""
        return quantize(max(self.fees - self.received, Decimal(0)))


def days_before_departure(today: date, start: date) -> int:
    return (start - today).days


def fee_percent(schedule: list[FeeTier], days_left: int) -> Decimal:
    applicable = [tier for tier in schedule if tier.days_before >= days_left]
    if not applicable:
        return Decimal("0.00")
    return min(applicable, key=lambda tier: tier.days_before).percent


def by_client(total: Decimal, received: Decimal, schedule: list[FeeTier], days_left: int) -> Settlement:
    percent = fee_percent(schedule, days_left)
    return Settlement(days_left, percent, quantize(total * percent / HUNDRED), quantize(received))


def by_organiser(received: Decimal, days_left: int) -> Settlement:
    return Settlement(days_left, Decimal("0.00"), Decimal("0.00"), quantize(received))
