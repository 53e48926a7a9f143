"""Payment rules of seed 001, without I/O."""
import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orders.domain.payments import (
    BatchKind,
    Collection,
    Entry,
    check_batch,
    check_editable,
    check_new,
    collect,
    shares,
    summarise,
)
from shared.problems import DomainError

D = Decimal


def test_a_third_party_commitment_settles_the_order_before_it_is_collected():
    summary = summarise(D("1000.00"), [Entry(D("600.00"), False, Collection.RECEIVED),
                                       Entry(D("400.00"), True, Collection.PENDING)])
    assert (summary.immediate, summary.deferred, summary.pending_collection) == (D("600.00"), D("400.00"),
                                                                                  D("400.00"))
    assert summary.balance == D("0.00") and summary.settled and summary.received == D("600.00")


def test_an_unpaid_commitment_is_owed_by_the_client_again():
    summary = summarise(D("1000.00"), [Entry(D("600.00"), False, Collection.RECEIVED),
                                       Entry(D("400.00"), True, Collection.UNPAID)])
    assert summary.balance == D("400.00") and not summary.settled and summary.pending_collection == D("0.00")


def test_a_commitment_is_collected_or_declared_unpaid_then_possibly_paid_late():
    pending = Entry(D("400.00"), True, Collection.PENDING)
    assert collect(pending, Collection.RECEIVED) == Collection.RECEIVED
    assert collect(pending, Collection.UNPAID) == Collection.UNPAID
    assert collect(Entry(D("400.00"), True, Collection.UNPAID), Collection.RECEIVED) == Collection.RECEIVED
    with pytest.raises(DomainError) as twice:
        collect(Entry(D("400.00"), True, Collection.RECEIVED), Collection.UNPAID)
    assert twice.value.code == "collection_refused"
    with pytest.raises(DomainError) as immediate:
        collect(Entry(D("50.00"), False, Collection.RECEIVED), Collection.UNPAID)
    assert immediate.value.code == "not_deferred"


def test_each_guardian_owes_their_participants_lines_minus_what_they_paid():
    lea, tom = uuid.uuid4(), uuid.uuid4()
    lines = [(lea, D("850.00")), (lea, D("50.00")), (tom, D("850.00"))]
    result = shares(lines, [Entry(D("300.00"), False, Collection.RECEIVED, lea),
                            Entry(D("850.00"), True, Collection.UNPAID, tom),
                            Entry(D("100.00"), False, Collection.RECEIVED)])
    assert [(s.participant_id, s.share, s.paid, s.balance) for s in result] == [
        (lea, D("900.00"), D("300.00"), D("600.00")), (tom, D("850.00"), D("0.00"), D("850.00"))]


def test_a_deferred_payment_names_its_third_party_payer_and_only_it_does():
    with pytest.raises(DomainError) as missing:
        check_new("third_party", None)
    assert missing.value.code == "third_party_payer_required"
    with pytest.raises(DomainError) as extra:
        check_new("cheque", uuid.uuid4())
    assert extra.value.code == "third_party_payer_on_immediate"


def test_payments_in_a_deposit_export_or_transfer_are_locked():
    check_editable(None)
    for kind in BatchKind:
        with pytest.raises(DomainError) as locked:
            check_editable(kind.value)
        assert locked.value.code == "payment_locked"
    with pytest.raises(DomainError) as not_cheque:
        check_batch(BatchKind.CHEQUE_DEPOSIT, ["cheque", "card"], [False, False])
    assert not_cheque.value.code == "not_a_cheque"
    with pytest.raises(DomainError):
        check_batch(BatchKind.TRANSFER, ["card"], [True])


amounts = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)


@given(st.lists(st.tuples(amounts, st.booleans(), st.sampled_from(list(Collection))), max_size=12), amounts)
def test_balance_is_total_minus_what_counts_and_pending_is_part_of_deferred(payments, total):
    entries = [Entry(a, deferred, c if deferred else Collection.RECEIVED) for a, deferred, c in payments]
    summary = summarise(total, entries)
    counted = sum((e.amount for e in entries if e.collection != Collection.UNPAID), D(0))
    assert summary.balance == total - counted
    assert D(0) <= summary.pending_collection <= summary.deferred
    assert summary.settled == (summary.balance <= 0)
