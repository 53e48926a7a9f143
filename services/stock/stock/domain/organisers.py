"""The commercial settings orders applies, resolved for one organiser (seed 004, Configuration - Entité Maître).

The master entity sets the rules for everyone: deposit, return-city variation, option durations, and
whether membership is charged, for which year, and by whom. When the master manages membership, its
own fees and its own membership cycle apply whoever organises the stay; when each organiser manages
it, the stay's organiser's fees and cycle apply. No individual fee means no membership at all.
"""
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from shared.problems import DomainError


class ManagedBy(StrEnum):
    MASTER = "master"
    ORGANISER = "organiser"


class MembershipYear(StrEnum):
    CALENDAR = "calendar"
    ROLLING = "rolling"


@dataclass(frozen=True)
class Fees:
    individual: Decimal | None
    family: Decimal | None


@dataclass(frozen=True)
class MasterRules:
    membership_enabled: bool
    membership_managed_by: ManagedBy
    membership_year: MembershipYear
    deposit_percent: Decimal
    late_threshold_days: int
    late_percent: Decimal
    other_means_when_late: bool
    return_city_variation_percent: Decimal
    option_days: int
    expired_option_days: int


@dataclass(frozen=True)
class Membership:
    managed_by: ManagedBy
    scope_organiser_id: UUID
    individual_fee: Decimal
    family_fee: Decimal | None
    year: MembershipYear


def validate_fees(fees: Fees) -> None:
    """A family fee needs an individual one and costs at least as much (seed 004: 15 € then 20 €)."""
    if fees.family is not None and fees.individual is None:
        raise DomainError("family_fee_without_individual", "A family membership fee needs an individual fee.")
    if fees.family is not None and fees.individual is not None and fees.family < fees.individual:
        raise DomainError("family_fee_below_individual",
                          "The family membership fee cannot be lower than the individual fee.")


def validate_rules(rules: MasterRules) -> None:
    if rules.late_percent < rules.deposit_percent:
        raise DomainError("late_deposit_below_normal",
                          "The deposit asked close to departure cannot be lower than the normal deposit.")


def membership(
    rules: MasterRules, master_id: UUID, master_fees: Fees, organiser_id: UUID, organiser_fees: Fees
) -> Membership | None:
    if not rules.membership_enabled:
        return None
    by_master = rules.membership_managed_by == ManagedBy.MASTER
    scope, fees = (master_id, master_fees) if by_master else (organiser_id, organiser_fees)
    if fees.individual is None:
        return None
    return Membership(rules.membership_managed_by, scope, fees.individual, fees.family, rules.membership_year)
