"""The pricing rules of seed 001, without I/O."""
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stock.domain.pricing import round_trip_fare, unit_price

fares = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False)
variations = st.decimals(min_value=-100, max_value=500, places=2, allow_nan=False, allow_infinity=False)


def test_seed_example_lyon_toulouse_at_twenty_percent():
    assert round_trip_fare(Decimal("50"), Decimal("20"), Decimal("20"), same_city=False) == Decimal("42.00")


def test_same_city_is_its_own_fare_without_variation():
    assert round_trip_fare(Decimal("50"), Decimal("50"), Decimal("20"), same_city=True) == Decimal("50.00")


def test_rounding_is_half_up_to_the_cent():
    # (0.01 + 0.02) / 2 * 1 = 0.015 -> 0.02
    assert round_trip_fare(Decimal("0.01"), Decimal("0.02"), Decimal("0"), same_city=False) == Decimal("0.02")


def test_total_is_the_exact_sum_of_its_parts():
    price = unit_price(Decimal("850"), Decimal("42.00"), [Decimal("35.50"), Decimal("12.25")])
    assert price.total == Decimal("939.75")
    assert price.extras == (Decimal("35.50"), Decimal("12.25"))


@given(fares, variations)
def test_same_city_gives_exactly_its_fare(fare, variation):
    assert round_trip_fare(fare, fare, variation, same_city=True) == fare


@given(fares, fares, variations)
def test_a_different_return_city_is_never_negative_and_symmetric(out, back, variation):
    there = round_trip_fare(out, back, variation, same_city=False)
    assert there >= 0
    assert there == round_trip_fare(back, out, variation, same_city=False)
    assert there == there.quantize(Decimal("0.01"))


@given(fares, st.lists(fares, max_size=5))
def test_total_sums_exactly(base, extras):
    price = unit_price(base, Decimal("0"), extras)
    assert price.total == base + sum(extras, Decimal(0))
