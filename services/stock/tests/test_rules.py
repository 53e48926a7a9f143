"""Stay rules and commercial settings, without I/O."""
from decimal import Decimal
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.problems import DomainError
from stock.domain.organisers import Fees, ManagedBy, MasterRules, MembershipYear, membership, validate_fees
from stock.domain.stays import FeeTier, cancellation_percent, validate_ages, validate_fee_schedule

SCHEDULE = [FeeTier(30, Decimal(25)), FeeTier(8, Decimal(50)), FeeTier(2, Decimal(100))]


@pytest.mark.parametrize(("days_left", "percent"), [(45, 0), (30, 25), (20, 25), (8, 50), (5, 50), (2, 100), (0, 100)])
def test_the_closest_tier_still_ahead_of_the_days_left_sets_the_fee(days_left, percent):
    assert cancellation_percent(SCHEDULE, days_left) == Decimal(percent)


def test_no_schedule_means_free_cancellation():
    assert cancellation_percent([], 3) == 0


def test_a_schedule_that_gets_cheaper_near_departure_is_refused():
    with pytest.raises(DomainError) as refused:
        validate_fee_schedule([FeeTier(30, Decimal(80)), FeeTier(8, Decimal(50))])
    assert refused.value.code == "fees_decrease_near_departure"
    with pytest.raises(DomainError):
        validate_fee_schedule([FeeTier(8, Decimal(50)), FeeTier(8, Decimal(60))])


@given(st.lists(st.tuples(st.integers(0, 90), st.integers(0, 100)), max_size=6, unique_by=lambda t: t[0]),
       st.integers(0, 120), st.integers(0, 120))
def test_fees_never_drop_as_departure_comes_closer(tiers, earlier, later):
    percents = sorted(p for _, p in tiers)
    schedule = [FeeTier(d, Decimal(p)) for (d, _), p in zip(sorted(tiers, reverse=True), percents, strict=True)]
    validate_fee_schedule(schedule)
    far, near = max(earlier, later), min(earlier, later)
    assert cancellation_percent(schedule, near) >= cancellation_percent(schedule, far)


def test_ages_must_be_in_order():
    validate_ages(8, 8)
    with pytest.raises(DomainError):
        validate_ages(14, 8)


def test_family_fee_needs_an_individual_fee_and_costs_at_least_as_much():
    validate_fees(Fees(Decimal(15), Decimal(20)))
    for fees in (Fees(None, Decimal(20)), Fees(Decimal(20), Decimal(15))):
        with pytest.raises(DomainError):
            validate_fees(fees)


def rules(enabled=True, by=ManagedBy.MASTER):
    return MasterRules(enabled, by, MembershipYear.ROLLING, Decimal(30), 30, Decimal(100), False, Decimal(20), 7, 7)


def test_membership_managed_by_the_master_uses_its_fees_and_cycle_for_every_organiser():
    master, organiser = uuid4(), uuid4()
    found = membership(rules(), master, Fees(Decimal(15), Decimal(20)), organiser, Fees(Decimal(40), None))
    assert found is not None
    assert (found.scope_organiser_id, found.individual_fee, found.family_fee) == (master, 15, 20)
    assert found.year == MembershipYear.ROLLING


def test_membership_managed_by_organisers_uses_the_stay_organiser_and_none_without_fee():
    master, organiser = uuid4(), uuid4()
    found = membership(rules(by=ManagedBy.ORGANISER), master, Fees(Decimal(15), None), organiser,
                       Fees(Decimal(40), None))
    assert found is not None and (found.scope_organiser_id, found.individual_fee) == (organiser, 40)
    assert membership(rules(by=ManagedBy.ORGANISER), master, Fees(Decimal(15), None), organiser,
                      Fees(None, None)) is None
    assert membership(rules(enabled=False), master, Fees(Decimal(15), None), organiser, Fees(None, None)) is None
