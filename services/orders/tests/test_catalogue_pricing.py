"""A participant priced from orders' copy of a departure's catalogue, as stock prices it (seeds 000 and 001)."""
from decimal import Decimal
from uuid import uuid4

import pytest

from orders.domain.catalogue import UnknownChoice, participant_price
from orders.domain.pricing import AddOnProduct, Extra, Transport
from shared.events import DepartureCatalogue, OfferedAddOn, OfferedCity, OfferedExtra

LYON, PARIS, CANOE, INSURANCE, LAUNDRY = (uuid4() for _ in range(5))
CATALOGUE = DepartureCatalogue(
    cities=[OfferedCity(city_id=LYON, city="Lyon", fare=Decimal("60.00")),
            OfferedCity(city_id=PARIS, city="Paris", fare=Decimal("100.00"))],
    extras=[OfferedExtra(extra_id=CANOE, label="Canoë", price=Decimal("40.00"))],
    add_ons=[OfferedAddOn(add_on_id=INSURANCE, label="Assurance", price=Decimal("15.00"), mandatory=True),
             OfferedAddOn(add_on_id=LAUNDRY, label="Blanchisserie", price=Decimal("9.99"), mandatory=False)],
)


def test_another_return_city_costs_the_mean_of_both_fares_raised_by_the_variation():
    price = participant_price(CATALOGUE, Decimal("500.00"), Decimal(20), LYON, PARIS, (CANOE,), (LAUNDRY,))
    assert price.transport == Transport("Lyon", "Paris", Decimal("96.00"))  # (60 + 100) / 2 + 20 %
    assert price.extras == (Extra("Canoë", Decimal("40.00")),)
    assert price.add_ons == (AddOnProduct("Assurance", Decimal("15.00")), AddOnProduct("Blanchisserie", Decimal("9.99")))


def test_the_same_city_costs_its_own_fare_and_no_city_no_transport():
    assert participant_price(CATALOGUE, Decimal("500.00"), Decimal(20), LYON, LYON, (), ()).transport.fare == \
        Decimal("60.00")
    alone = participant_price(CATALOGUE, Decimal("500.00"), Decimal(20), None, None, (), ())
    assert alone.transport is None and alone.add_ons == (AddOnProduct("Assurance", Decimal("15.00")),)


def test_a_reseller_s_markup_raises_each_part_rounded_on_its_own():
    price = participant_price(CATALOGUE, Decimal("500.00"), Decimal(20), LYON, None, (CANOE,), (LAUNDRY,),
                              markup_percent=Decimal("10"))
    assert (price.base_price, price.transport.fare, price.extras[0].price) == (
        Decimal("550.00"), Decimal("66.00"), Decimal("44.00"))
    assert [a.price for a in price.add_ons] == [Decimal("16.50"), Decimal("10.99")]  # 9.99 × 1.1 = 10.989


@pytest.mark.parametrize("choice", [
    {"outbound": uuid4()}, {"extras": (uuid4(),)}, {"add_ons": (uuid4(),)}, {"extras": (CANOE, CANOE)},
    {"outbound": None, "back": PARIS},
])
def test_a_choice_the_departure_does_not_offer_is_refused(choice):
    with pytest.raises(UnknownChoice):
        participant_price(CATALOGUE, Decimal("500.00"), Decimal(20), choice.get("outbound"), choice.get("back"),
                          choice.get("extras", ()), choice.get("add_ons", ()))
