"""Membership fees without I/O: seed 004's five worked examples, then their mirror cases."""
import uuid
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from orders.domain.membership import Charge, ClientTerms, Fee, FeeKind, Outcome, Policy, Year, fees_for

A, B = uuid.uuid4(), uuid.uuid4()
LEA, TOM, ZOE = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def organiser(scope=A, family: str | None = "20.00", year=Year.CALENDAR, individual="15.00") -> Policy:
    return Policy(scope, "Organisateur A" if scope == A else "Organisateur B", Decimal(individual),
                  Decimal(family) if family else None, year)


def paid(outcome: Outcome, status="validated", scope=A) -> list[Charge]:
    """The history the fees of an order leave once that order reaches `status`."""
    order_id = uuid.uuid4()
    return [Charge(scope, order_id, fee.participant_id, fee.kind, fee.amount, outcome.cycle_start, outcome.cycle_end,
                   status) for fee in outcome.fees]


def amounts(outcome: Outcome) -> list[tuple[FeeKind, str]]:
    return [(fee.kind, str(fee.amount)) for fee in outcome.fees]


def test_example_1_the_same_child_twice_in_a_calendar_year_pays_the_individual_fee_once():
    february = fees_for(organiser(), ClientTerms(), [LEA], [], date(2027, 2, 10))
    assert amounts(february) == [(FeeKind.INDIVIDUAL, "15.00")]
    october = fees_for(organiser(), ClientTerms(), [LEA], paid(february), date(2027, 10, 5))
    assert october.fees == () and october.total == 0
    assert october.note == "Adhésion déjà réglée auprès de Organisateur A : votre adhésion est valable jusqu'au 31/12/2027."


def test_example_2_two_children_in_one_order_pay_the_family_fee_then_nothing_until_december():
    february = fees_for(organiser(), ClientTerms(), [LEA, TOM], [], date(2027, 2, 10))
    assert amounts(february) == [(FeeKind.FAMILY, "20.00")]
    april = fees_for(organiser(), ClientTerms(), [ZOE], paid(february), date(2027, 4, 2))
    assert april.fees == ()
    assert april.note and "jusqu'au 31/12/2027" in april.note


def test_example_3_a_second_child_later_pays_the_difference_between_family_and_individual():
    july = fees_for(organiser(), ClientTerms(), [LEA], [], date(2027, 7, 1))
    assert amounts(july) == [(FeeKind.INDIVIDUAL, "15.00")]
    august = fees_for(organiser(), ClientTerms(), [TOM], paid(july), date(2027, 8, 3))
    assert amounts(august) == [(FeeKind.FAMILY, "5.00")]
    assert august.fees[0].label == "Adhésion familiale Organisateur A (différence avec les 15.00 € déjà réglés)"


def test_example_4_individual_only_every_new_child_pays_once_a_year():
    policy = organiser(family=None)
    first = fees_for(policy, ClientTerms(), [LEA], [], date(2027, 2, 1))
    second = fees_for(policy, ClientTerms(), [TOM], paid(first), date(2027, 5, 1))
    again = fees_for(policy, ClientTerms(), [LEA], paid(first) + paid(second), date(2027, 9, 1))
    assert first.total + second.total + again.total == Decimal("30.00")
    assert amounts(second) == [(FeeKind.INDIVIDUAL, "15.00")] and again.fees == ()


def test_example_5_no_membership_configured_asks_nothing():
    assert fees_for(None, ClientTerms(), [LEA, TOM], [], date(2027, 2, 1)).fees == ()
    empty = organiser(individual="0", family=None)
    assert fees_for(empty, ClientTerms(), [LEA, TOM], [], date(2027, 2, 1)).fees == ()


def test_a_rolling_year_carries_over_the_year_end_and_a_calendar_year_does_not():
    for year, expected in ((Year.ROLLING, []), (Year.CALENDAR, [(FeeKind.INDIVIDUAL, "15.00")])):
        october = fees_for(organiser(year=year), ClientTerms(), [LEA], [], date(2026, 10, 1))
        march = fees_for(organiser(year=year), ClientTerms(), [LEA], paid(october), date(2027, 3, 1))
        assert amounts(march) == expected, year


def test_a_rolling_year_ends_the_day_before_its_anniversary_and_the_family_difference_applies_within_it():
    october = fees_for(organiser(year=Year.ROLLING), ClientTerms(), [LEA], [], date(2026, 10, 1))
    assert (october.cycle_start, october.cycle_end) == (date(2026, 10, 1), date(2027, 9, 30))
    march = fees_for(organiser(year=Year.ROLLING), ClientTerms(), [TOM], paid(october), date(2027, 3, 1))
    assert amounts(march) == [(FeeKind.FAMILY, "5.00")]
    anniversary = fees_for(organiser(year=Year.ROLLING), ClientTerms(), [LEA], paid(october), date(2027, 10, 1))
    assert amounts(anniversary) == [(FeeKind.INDIVIDUAL, "15.00")]


def test_per_organiser_two_organisers_each_charge_their_own_fee_in_the_same_year():
    with_a = fees_for(organiser(A), ClientTerms(), [LEA], [], date(2027, 2, 1))
    with_b = fees_for(organiser(B), ClientTerms(), [LEA], paid(with_a, scope=A), date(2027, 3, 1))
    assert amounts(with_b) == [(FeeKind.INDIVIDUAL, "15.00")]
    second_child_b = fees_for(organiser(B), ClientTerms(), [TOM], paid(with_a, scope=A), date(2027, 3, 1))
    assert amounts(second_child_b) == [(FeeKind.INDIVIDUAL, "15.00")]  # no family fee across organisers


def test_a_first_order_archived_or_still_in_option_paid_nothing_so_no_family_fee_follows():
    july = fees_for(organiser(), ClientTerms(), [LEA], [], date(2027, 7, 1))
    for status in ("archived", "option", "refused"):
        august = fees_for(organiser(), ClientTerms(), [TOM], paid(july, status), date(2027, 8, 3))
        assert amounts(august) == [(FeeKind.INDIVIDUAL, "15.00")], status


def test_a_first_order_cancelled_in_the_cycle_still_opens_the_family_fee():
    july = fees_for(organiser(), ClientTerms(), [LEA], [], date(2027, 7, 1))
    august = fees_for(organiser(), ClientTerms(), [TOM], paid(july, "cancelled"), date(2027, 8, 3))
    assert amounts(august) == [(FeeKind.FAMILY, "5.00")]


def test_an_individual_only_client_type_pays_per_child_even_with_a_family_fee():
    outcome = fees_for(organiser(), ClientTerms(individual_only=True), [LEA, TOM, ZOE], [], date(2027, 2, 1))
    assert amounts(outcome) == [(FeeKind.INDIVIDUAL, "15.00")] * 3 and outcome.total == Decimal("45.00")


def test_group_orders_of_a_type_without_membership_on_them_pay_none():
    terms = ClientTerms(group_order=True, no_membership_on_group_orders=True)
    assert fees_for(organiser(), terms, [LEA, TOM], [], date(2027, 2, 1)).fees == ()
    assert fees_for(organiser(), ClientTerms(group_order=True), [LEA, TOM], [], date(2027, 2, 1)).total == 20


def test_the_family_fee_names_the_participant_who_made_the_family():
    july = fees_for(organiser(), ClientTerms(), [LEA], [], date(2027, 7, 1))
    august = fees_for(organiser(), ClientTerms(), [LEA, TOM], paid(july), date(2027, 8, 3))
    assert august.fees == (Fee(TOM, FeeKind.FAMILY, Decimal("5.00"), august.fees[0].label),)


@given(st.lists(st.tuples(st.lists(st.sampled_from([LEA, TOM, ZOE]), min_size=1, max_size=3, unique=True),
                          st.integers(0, 364), st.sampled_from(["validated", "cancelled", "archived"])),
                min_size=1, max_size=6),
       st.booleans())
def test_within_a_calendar_year_a_family_never_pays_more_than_the_family_fee_nor_a_child_twice(orders, family):
    policy = organiser(family="20.00" if family else None)
    history: list[Charge] = []
    for children, day, status in sorted(orders, key=lambda o: o[1]):
        outcome = fees_for(policy, ClientTerms(), children, history, date(2027, 1, 1) + timedelta(days=day))
        history += paid(outcome, status)
    counted = sum((c.amount for c in history if c.order_status != "archived"), Decimal(0))
    if family:
        assert counted <= Decimal("20.00")
    else:
        assert counted <= Decimal("15.00") * len({c.participant_id for c in history if c.order_status != "archived"})
    assert all(c.amount >= 0 for c in history)
