"""What a reseller owes on each of its sales, without I/O."""
from decimal import Decimal

from orders.domain.lifecycle import Status
from orders.domain.resale import owed

D = Decimal


def test_a_live_sale_owes_its_balance_with_commitments_counted_as_paid():
    for status in (Status.OPTION, Status.OPTION_EXPIRED, Status.VALIDATED):
        assert owed(status, D("935.00"), D("300.00"), None, D("0")) == D("635.00")
    assert owed(Status.VALIDATED, D("800.00"), D("850.00"), None, D("850.00")) == D("-50.00")  # a lowered total


def test_a_cancelled_sale_owes_the_fees_not_received_yet_and_a_sale_that_never_was_owes_nothing():
    assert owed(Status.CANCELLED, D("935.00"), D("500.00"), D("233.75"), D("100.00")) == D("133.75")
    assert owed(Status.CANCELLED, D("935.00"), D("500.00"), D("233.75"), D("500.00")) == D("0.00")
    assert owed(Status.CANCELLED, D("935.00"), D("0.00"), None, D("0")) == D("0.00")  # by the organiser
    for status in (Status.PENDING, Status.REFUSED, Status.ARCHIVED):
        assert owed(status, D("935.00"), D("0.00"), None, D("0")) == D("0.00")
