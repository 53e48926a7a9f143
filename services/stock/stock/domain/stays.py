"""Rules of a stay: ages, required documents and the cancellation fee schedule."""
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from shared.problems import DomainError


@dataclass(frozen=True)
class FeeTier:
    days_before: int
    percent: Decimal


def validate_ages(min_age: int | None, max_age: int | None) -> None:
    if min_age is not None and max_age is not None and max_age < min_age:
        raise DomainError("ages_inverted", "The maximum age cannot be below the minimum age.")


def validate_documents(codes: Sequence[str]) -> None:
    if len(set(codes)) != len(codes):
        raise DomainError("duplicate_document", "Each required document is listed once (its code is repeated).")


def validate_fee_schedule(tiers: Sequence[FeeTier]) -> None:
    """One tier per threshold, and a later cancellation never costs less than an earlier one."""
    days = [t.days_before for t in tiers]
    if len(set(days)) != len(days):
        raise DomainError("duplicate_fee_tier", "Two cancellation tiers have the same number of days.")
    by_days = sorted(tiers, key=lambda t: t.days_before)
    if any(closer.percent < farther.percent for closer, farther in zip(by_days, by_days[1:], strict=False)):
        raise DomainError("fees_decrease_near_departure",
                          "Cancelling closer to departure cannot cost a lower percentage than cancelling earlier.")


def cancellation_percent(tiers: Sequence[FeeTier], days_left: int) -> Decimal:
    """The percent of the tier with the smallest `days_before` still >= the days left; none applies: 0 %."""
    applicable = [t for t in tiers if t.days_before >= days_left]
    if not applicable:
        return Decimal(0)
    return min(applicable, key=lambda t: t.days_before).percent
