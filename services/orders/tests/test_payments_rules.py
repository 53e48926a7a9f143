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


def test_the_order_s_own_lines_are_shared_out_and_the_odd_cent_goes_to_the_first_participant():
    lea, tom, zoe = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    lines = [(lea, D("850.00")), (tom, D("850.00")), (zoe, D("850.00")), (None, D("35.00")), (None, D("-135.00"))]
    result = shares([lea, tom, zoe], lines, [Entry(D("300.00"), False, Collection.RECEIVED, tom)])
    assert [(s.share, s.paid, s.balance) for s in result] == [
        (D("816.66"), D("0.00"), D("816.66")), (D("816.67"), D("300.00"), D("516.67")),
        (D("816.67"), D("0.00"), D("816.67"))]
    settled = shares([lea, tom, zoe], lines, [Entry(D("300.00"), False, Collection.RECEIVED, tom),
                                              Entry(D("850.00"), True, Collection.UNPAID, zoe),
                                              Entry(D("2150.00"), True, Collection.PENDING)])
    assert [(s.paid, s.balance) for s in settled] == [
        (D("816.66"), D("0.00")), (D("816.67"), D("0.00")), (D("816.67"), D("0.00"))]


def test_a_guardian_who_pays_beyond_their_share_covers_the_others():
    lea, tom = uuid.uuid4(), uuid.uuid4()
    result = shares([lea, tom], [(lea, D("905.00")), (tom, D("885.00")), (None, D("-50.00"))],
                    [Entry(D("522.00"), False, Collection.RECEIVED), Entry(D("1218.00"), False, Collection.RECEIVED, tom)])
    assert [(s.share, s.paid, s.balance) for s in result] == [
        (D("879.72"), D("879.72"), D("0.00")), (D("860.28"), D("860.28"), D("0.00"))]


def test_a_payment_naming_someone_no_longer_on_the_order_counts_for_those_who_are():
    lea, gone = uuid.uuid4(), uuid.uuid4()
    [share] = shares([lea], [(lea, D("900.00"))], [Entry(D("900.00"), False, Collection.RECEIVED, gone)])
    assert (share.share, share.paid, share.balance) == (D("900.00"), D("900.00"), D("0.00"))


money = st.decimals(min_value=0, max_value=5000, places=2)
payment = st.tuples(st.decimals(min_value=D("0.01"), max_value=D("3000"), places=2),
                    st.one_of(st.none(), st.integers(min_value=0, max_value=6)), st.booleans(),
                    st.sampled_from(list(Collection)))


@given(st.lists(st.lists(money, min_size=1, max_size=4), min_size=1, max_size=6), st.lists(money, max_size=3),
       st.decimals(min_value=0, max_value=1, places=3), st.lists(payment, max_size=8), st.booleans())
def test_shares_sum_to_the_total_and_to_the_payments_and_a_settled_order_leaves_nobody_owing(
        people, add_ons, reduced, payments, settle):
    ids = [uuid.uuid4() for _ in people]
    lines = [(pid, amount) for pid, amounts in zip(ids, people, strict=True) for amount in amounts]
    base = sum((a for _, a in lines), D(0)) + sum(add_ons, D(0))
    lines += [(None, a) for a in add_ons] + [(None, -(base * reduced).quantize(D("0.01"), rounding="ROUND_DOWN"))]
    total = sum((a for _, a in lines), D(0))
    entries = [Entry(amount, deferred, collection if deferred else Collection.RECEIVED,
                     None if who is None else (ids + [uuid.uuid4()])[min(who, len(ids))])
               for amount, who, deferred, collection in payments]
    covered = sum((e.amount for e in entries if e.counts), D(0))
    if settle and covered < total:
        entries.append(Entry(total - covered, False, Collection.RECEIVED))
        covered = total
    result = shares(ids, lines, entries)
    assert [s.participant_id for s in result] == ids
    assert sum(s.share for s in result) == total
    assert sum(s.paid for s in result) == covered
    assert all(s.share >= 0 and s.paid >= 0 for s in result)
    assert all(x == x.quantize(D("0.01")) for s in result for x in (s.share, s.paid, s.balance))
    named = {pid: sum((e.amount for e in entries if e.counts and e.participant_id == pid), D(0)) for pid in ids}
    assert all(s.paid >= min(named[s.participant_id], s.share) for s in result)
    if covered == total:
        assert all(s.balance == 0 for s in result)


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
