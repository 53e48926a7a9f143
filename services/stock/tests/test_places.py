"""The rules of places, without I/O."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.problems import DomainError
from stock.domain.places import (
    ORDER_STATUS_TO_STATE,
    Bucket,
    HoldState,
    Stock,
    refusal_reason,
    transition,
    validate_capacity,
)


def test_free_is_capacity_less_every_bucket():
    assert Stock(capacity=10, held=3, overdue=2, confirmed=4).free == 1


def test_capacity_cannot_go_below_places_taken():
    with pytest.raises(DomainError) as refused:
        validate_capacity(5, taken=6)
    assert refused.value.code == "capacity_below_taken"


def test_expiry_moves_held_places_to_overdue():
    assert transition(HoldState.HELD, "option_expired") == (Bucket.HELD, Bucket.OVERDUE)


def test_archive_of_an_expired_option_frees_its_places():
    assert transition(HoldState.OVERDUE, "archived") == (Bucket.OVERDUE, None)


def test_released_places_never_come_back():
    assert transition(HoldState.RELEASED, "validated") is None
    assert transition(HoldState.REJECTED, "option") is None


def test_refusal_reason_names_what_is_left():
    assert "2 place(s) disponible(s)" in refusal_reason(3, 2)
    assert "complet" in refusal_reason(1, 0)


@given(st.lists(st.sampled_from(sorted(ORDER_STATUS_TO_STATE)), max_size=12))
def test_any_status_sequence_keeps_places_in_exactly_one_place(statuses):
    """Replaying transitions from a hold, the places are always in the bucket of the last applied state."""
    buckets = {b: 0 for b in Bucket}
    buckets[Bucket.HELD] = 2
    state = HoldState.HELD
    for status in statuses:
        move = transition(state, status)
        if move is None:
            continue
        source, target = move
        buckets[source] -= 2
        if target:
            buckets[target] += 2
        state = ORDER_STATUS_TO_STATE[status]
    assert all(v >= 0 for v in buckets.values())
    assert sum(buckets.values()) == (2 if state.bucket else 0)
