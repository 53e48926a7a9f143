"""Price of one participant on a departure: the stay, the round trip, the chosen extras and add-on products.

Seed 001: a round trip with a different return city costs the mean of the two cities' round-trip
fares, raised by the master entity's variation percentage; the same city costs its own fare.
Seed 000: a reseller buys at the producer's price raised by its markup; each part is raised and
rounded on its own, so that the parts still sum exactly to the total.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from shared.money import quantize

HUNDRED = Decimal(100)


def round_trip_fare(outbound_fare: Decimal, return_fare: Decimal, variation_percent: Decimal, same_city: bool) -> Decimal:
    """The transport fare of a participant going out from one city and coming back to another (or the same)."""
    if same_city:
        return quantize(outbound_fare)
    return quantize((outbound_fare + return_fare) / 2 * (1 + variation_percent / HUNDRED))


@dataclass(frozen=True)
class UnitPrice:
    base_price: Decimal
    transport: Decimal
    extras: tuple[Decimal, ...]
    add_ons: tuple[Decimal, ...] = ()

    @property
    def total(self) -> Decimal:
        """Every part is already in cents, so the total is exactly their sum."""
        return quantize(self.base_price + self.transport + sum(self.extras, Decimal(0)) + sum(self.add_ons, Decimal(0)))


def with_markup(amount: Decimal, markup_percent: Decimal) -> Decimal:
    """One part of a reseller's price: the producer's, in cents, raised by the markup and rounded to the cent."""
    return quantize(quantize(amount) * (1 + markup_percent / HUNDRED))


def unit_price(
    base_price: Decimal,
    transport: Decimal,
    extras: Sequence[Decimal],
    add_ons: Sequence[Decimal] = (),
    markup_percent: Decimal = Decimal(0),
) -> UnitPrice:
    def priced(amount: Decimal) -> Decimal:
        return with_markup(amount, markup_percent)

    return UnitPrice(priced(base_price), priced(transport), tuple(priced(p) for p in extras),
                     tuple(priced(p) for p in add_ons))
