"""The order state machine and pricing, without I/O: seed 001's rules."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orders.domain import pricing
from orders.domain.lifecycle import (
    TRANSITIONS,
    Action,
    Status,
    archive_deadline,
    can_take_payment,
    give_up,
    next_status,
    option_deadline,
)
from shared.problems import DomainError


def test_a_held_booking_becomes_an_option_and_a_payment_validates_it():
    assert next_status(Status.PENDING, Action.HOLD) == Status.OPTION
    assert next_status(Status.OPTION, Action.VALIDATE) == Status.VALIDATED


def test_an_expired_option_can_still_be_paid_reinstated_or_archived():
    assert next_status(Status.OPTION_EXPIRED, Action.VALIDATE) == Status.VALIDATED
    assert next_status(Status.OPTION_EXPIRED, Action.REINSTATE) == Status.OPTION
    assert next_status(Status.OPTION_EXPIRED, Action.ARCHIVE) == Status.ARCHIVED


def test_only_a_validated_order_can_be_cancelled():
    with pytest.raises(DomainError) as refused:
        next_status(Status.OPTION, Action.CANCEL)
    assert refused.value.code == "cannot_cancel"
    assert "validée" in refused.value.message


def test_a_family_gives_up_an_option_or_an_expired_one_but_never_a_validated_order():
    assert give_up(Status.OPTION) == give_up(Status.OPTION_EXPIRED) == Status.ARCHIVED
    with pytest.raises(DomainError) as validated:
        give_up(Status.VALIDATED)
    assert validated.value.code == "cancellation_by_operator_only"
    for status in (Status.PENDING, Status.REFUSED, Status.ARCHIVED, Status.CANCELLED):
        with pytest.raises(DomainError) as refused:
            give_up(status)
        assert refused.value.code == "cannot_archive"


def test_no_payment_on_a_refused_archived_or_pending_order():
    for status in (Status.PENDING, Status.REFUSED, Status.ARCHIVED, Status.CANCELLED):
        with pytest.raises(DomainError):
            can_take_payment(status)


def test_deadlines():
    at = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    assert option_deadline(at, 7) == datetime(2027, 3, 8, 9, 0, tzinfo=UTC)
    assert archive_deadline(at, 3) == datetime(2027, 3, 4, 9, 0, tzinfo=UTC)


@given(st.lists(st.sampled_from(list(Action)), max_size=15))
def test_terminal_statuses_never_change(actions):
    status = Status.PENDING
    for action in actions:
        try:
            after = next_status(status, action)
        except DomainError:
            continue
        assert status not in (Status.REFUSED, Status.ARCHIVED, Status.CANCELLED)
        status = after
    assert status in {s for targets in TRANSITIONS.values() for s in targets.values()} | {Status.PENDING}


def lines_of(price: pricing.ParticipantPrice, name: str = "Léa Martin") -> list[pricing.Line]:
    return pricing.participant_lines("Mer", date(2027, 7, 1), date(2027, 7, 8), name, price)


def test_a_stay_alone_is_one_line_per_participant():
    lines = [line for name in ("Léa", "Tom", "Zoé") for line in lines_of(pricing.ParticipantPrice(Decimal("399.99")),
                                                                          name)]
    assert lines[0] == pricing.Line(pricing.Kind.STAY, "Séjour Mer du 01/07/2027 au 08/07/2027 – Léa", 1,
                                    Decimal("399.99"))
    assert pricing.total_of(lines) == Decimal("1199.97")


def test_seed_001_transport_lyon_toulouse_and_an_extra():
    """Lyon 50 €, Toulouse 20 €, 20 %: stock quotes the round trip 42 €; orders lists it under the stay."""
    price = pricing.ParticipantPrice(Decimal("850.00"), pricing.Transport("Lyon", "Toulouse", Decimal("42.00")),
                                     (pricing.Extra("Équitation", Decimal("120.00")),))
    lines = lines_of(price)
    assert [(line.kind, line.label, line.amount) for line in lines] == [
        (pricing.Kind.STAY, "Séjour Mer du 01/07/2027 au 08/07/2027 – Léa Martin", Decimal("850.00")),
        (pricing.Kind.TRANSPORT, "Transport A/R Lyon / Toulouse – Léa Martin", Decimal("42.00")),
        (pricing.Kind.EXTRA, "Option Équitation – Léa Martin", Decimal("120.00")),
    ]
    assert pricing.total_of(lines) == Decimal("1012.00")


def test_stock_s_add_on_products_follow_the_package_and_name_the_participant():
    price = pricing.ParticipantPrice(Decimal("850.00"), add_ons=(pricing.AddOnProduct("Frais de dossier",
                                                                                      Decimal("20.00")),))
    assert [(line.kind, line.label, line.amount) for line in lines_of(price)][1:] == [
        (pricing.Kind.ADD_ON, "Frais de dossier – Léa Martin", Decimal("20.00"))]


money = st.decimals(min_value=0, max_value=10_000, places=2)
participant_prices = st.builds(
    pricing.ParticipantPrice, money,
    st.none() | st.builds(pricing.Transport, st.just("Lyon"), st.just("Toulouse"), money),
    st.lists(st.builds(pricing.Extra, st.just("Équitation"), money), max_size=5).map(tuple),
    st.lists(st.builds(pricing.AddOnProduct, st.just("Frais de dossier"), money), max_size=3).map(tuple),
)


@given(st.lists(participant_prices, min_size=1, max_size=30))
def test_lines_always_sum_to_the_total_of_what_stock_quoted(prices):
    lines = [line for price in prices for line in lines_of(price)]
    quoted = sum((p.base_price + (p.transport.fare if p.transport else 0) + sum(e.price for e in p.extras)
                  + sum(a.price for a in p.add_ons) for p in prices), Decimal(0))
    assert pricing.total_of(lines) == sum((line.amount for line in lines), Decimal(0)) == quoted


def test_a_payment_cannot_exceed_the_balance():
    with pytest.raises(DomainError) as refused:
        pricing.check_payment(Decimal("900"), Decimal("850"), Decimal("0"))
    assert refused.value.code == "overpayment"
    pricing.check_payment(Decimal("850"), Decimal("850"), Decimal("0"))
