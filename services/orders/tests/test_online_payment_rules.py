"""What a card payment session asks (the deposit's rest or the balance), and what the provider's notifications make
of a session."""
from decimal import Decimal

import pytest

from orders.domain.lifecycle import Status
from orders.domain.online_payment import Purpose, SessionStatus, amount_due, status_after
from shared.problems import DomainError

D = Decimal


@pytest.mark.parametrize(("purpose", "covered", "deposit", "asked"), [
    (Purpose.DEPOSIT, "0.00", "255.00", "255.00"),
    (Purpose.DEPOSIT, "100.00", "255.00", "155.00"),   # a cheque paid part of it: the rest
    (Purpose.DEPOSIT, "800.00", "255.00", None),       # paid beyond the deposit
    (Purpose.DEPOSIT, "0.00", None, None),             # no deposit asked: pay the balance
    (Purpose.DEPOSIT, "0.00", "900.00", "850.00"),     # never more than the balance
    (Purpose.BALANCE, "255.00", "255.00", "595.00"),
    (Purpose.BALANCE, "0.00", None, "850.00"),
])
def test_the_deposit_asks_what_it_still_lacks_and_the_balance_what_is_due(purpose, covered, deposit, asked):
    due = lambda: amount_due(purpose, Status.OPTION, D("850.00"), D(covered), D(deposit) if deposit else None)  # noqa: E731
    if asked is None:
        with pytest.raises(DomainError) as refused:
            due()
        assert refused.value.code == ("no_deposit_asked" if deposit is None else "deposit_paid")
    else:
        assert due() == D(asked)


def test_nothing_is_asked_of_a_settled_order_nor_of_one_that_takes_no_payment():
    with pytest.raises(DomainError) as settled:
        amount_due(Purpose.BALANCE, Status.VALIDATED, D("850.00"), D("850.00"), None)
    assert settled.value.code == "nothing_due"
    for status in (Status.PENDING, Status.REFUSED, Status.ARCHIVED, Status.CANCELLED):
        with pytest.raises(DomainError) as refused:
            amount_due(Purpose.BALANCE, status, D("850.00"), D("0.00"), None)
        assert refused.value.code == "payment_refused"
    assert amount_due(Purpose.BALANCE, Status.OPTION_EXPIRED, D("850.00"), D("0.00"), None) == D("850.00")


@pytest.mark.parametrize(("event", "paid", "after"), [
    ("checkout.session.completed", True, SessionStatus.PAID),
    ("checkout.session.completed", False, SessionStatus.PROCESSING),
    ("checkout.session.async_payment_succeeded", True, SessionStatus.PAID),
    ("checkout.session.async_payment_failed", False, SessionStatus.FAILED),
    ("checkout.session.expired", False, SessionStatus.EXPIRED),
    ("payment_intent.created", False, SessionStatus.OPEN),
])
def test_an_open_session_follows_the_provider_s_notifications(event, paid, after):
    assert status_after(SessionStatus.OPEN, event, paid) == after


def test_a_closed_session_keeps_its_status_whatever_comes_later():
    for closed in (SessionStatus.PAID, SessionStatus.UNAPPLIED, SessionStatus.EXPIRED, SessionStatus.FAILED):
        assert status_after(closed, "checkout.session.completed", True) == closed
    assert status_after(SessionStatus.PROCESSING, "checkout.session.async_payment_succeeded", True) == \
        SessionStatus.PAID
