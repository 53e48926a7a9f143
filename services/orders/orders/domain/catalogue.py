"""One participant's price from orders' copy of a departure's catalogue, as stock would quote it.

Seed 001: a round trip with a different return city costs the mean of the two cities' fares, raised by the master
entity's variation percentage; the same city costs its own fare. Seed 000: sold through a reseller, each part is
raised by the assignment's markup and rounded on its own, so that the parts still sum to the total.
"""
from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

from orders.domain.pricing import AddOnProduct, Extra, ParticipantPrice, Transport
from shared.events import DepartureCatalogue
from shared.money import quantize

HUNDRED = Decimal(100)


class UnknownChoice(Exception):
    """A city, extra or add-on the departure does not offer, or a choice that cannot be made."""


def round_trip_fare(outbound_fare: Decimal, return_fare: Decimal, variation_percent: Decimal, same_city: bool
                    ) -> Decimal:
    if same_city:
        return quantize(outbound_fare)
    return quantize((outbound_fare + return_fare) / 2 * (1 + variation_percent / HUNDRED))


def with_markup(amount: Decimal, markup_percent: Decimal) -> Decimal:
    return quantize(quantize(amount) * (1 + markup_percent / HUNDRED))


def participant_price(catalogue: DepartureCatalogue, base_price: Decimal, variation_percent: Decimal,
                      outbound_city_id: UUID | None, return_city_id: UUID | None, extra_ids: Sequence[UUID],
                      add_on_ids: Sequence[UUID], markup_percent: Decimal = Decimal(0)) -> ParticipantPrice:
    """The stay, the round trip if a city is chosen, the extras chosen, the mandatory add-ons then the optional ones
    chosen; every part raised by the reseller's markup."""
    if return_city_id is not None and outbound_city_id is None:
        raise UnknownChoice("a return city needs an outbound city")
    for ids, what in ((extra_ids, "extra"), (add_on_ids, "add-on")):
        if len(set(ids)) != len(ids):
            raise UnknownChoice(f"an {what} is chosen at most once per participant")
    cities = {c.city_id: c for c in catalogue.cities}
    extras = {e.extra_id: e for e in catalogue.extras}
    add_ons = {a.add_on_id: a for a in catalogue.add_ons}
    for ids, offered, what in (((i for i in (outbound_city_id, return_city_id) if i), cities, "city"),
                               (extra_ids, extras, "extra"), (add_on_ids, add_ons, "add-on")):
        for one in ids:
            if one not in offered:
                raise UnknownChoice(f"{what} {one} not found")

    def up(amount: Decimal) -> Decimal:
        return with_markup(amount, markup_percent)

    transport = None
    if outbound_city_id is not None:
        outbound = cities[outbound_city_id]
        inbound = cities[return_city_id] if return_city_id is not None else outbound
        fare = round_trip_fare(outbound.fare, inbound.fare, variation_percent, same_city=inbound is outbound)
        transport = Transport(outbound.city, inbound.city, up(fare))
    chosen = [add_ons[i] for i in add_on_ids]
    priced_add_ons = [a for a in catalogue.add_ons if a.mandatory] + [a for a in chosen if not a.mandatory]
    return ParticipantPrice(
        base_price=up(base_price), transport=transport,
        extras=tuple(Extra(extras[i].label, up(extras[i].price)) for i in extra_ids),
        add_ons=tuple(AddOnProduct(a.label, up(a.price)) for a in priced_add_ons),
    )
