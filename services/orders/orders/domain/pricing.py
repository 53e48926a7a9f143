"""The price breakdown of a booking: per participant a stay line, a round-trip line if chosen, one line per
extra and one per add-on product of stock (the mandatory ones and those chosen); the order total is exactly the
sum of its lines."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from shared.money import quantize
from shared.problems import DomainError


class Kind(StrEnum):
    STAY = "stay"
    TRANSPORT = "transport"
    EXTRA = "extra"
    ADD_ON = "add_on"


@dataclass(frozen=True)
class Line:
    kind: Kind
    label: str
    quantity: int
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return quantize(self.unit_price * self.quantity)


@dataclass(frozen=True)
class Transport:
    outbound_city: str
    return_city: str
    fare: Decimal


@dataclass(frozen=True)
class Extra:
    label: str
    price: Decimal


@dataclass(frozen=True)
class AddOnProduct:
    """An add-on product of stock's catalogue as priced for one participant (seed 001: "frais annexes")."""

    label: str
    price: Decimal


@dataclass(frozen=True)
class ParticipantPrice:
    """What stock quotes for one participant: the stay, the round trip if one was chosen, the chosen extras, the
    mandatory add-on products and the optional ones chosen."""

    base_price: Decimal
    transport: Transport | None = None
    extras: tuple[Extra, ...] = ()
    add_ons: tuple[AddOnProduct, ...] = ()


def participant_lines(stay_title: str, start: date, end: date, name: str, price: ParticipantPrice) -> list[Line]:
    """The participant's lines, in the seed's order: stay, transport, extras, then the add-on products (outside the
    package in the summary); every label names the participant."""
    lines = [Line(Kind.STAY, f"Séjour {stay_title} du {start:%d/%m/%Y} au {end:%d/%m/%Y} – {name}", 1,
                  quantize(price.base_price))]
    if price.transport is not None:
        route = f"{price.transport.outbound_city} / {price.transport.return_city}"
        lines.append(Line(Kind.TRANSPORT, f"Transport A/R {route} – {name}", 1, quantize(price.transport.fare)))
    lines += [Line(Kind.EXTRA, f"Option {extra.label} – {name}", 1, quantize(extra.price)) for extra in price.extras]
    lines += [Line(Kind.ADD_ON, f"{add_on.label} – {name}", 1, quantize(add_on.price)) for add_on in price.add_ons]
    return lines


def total_of(lines: list[Line]) -> Decimal:
    return quantize(sum((line.amount for line in lines), Decimal(0)))


def balance(total: Decimal, paid: Decimal) -> Decimal:
    return quantize(total - paid)


def check_payment(amount: Decimal, total: Decimal, paid: Decimal) -> None:
    if amount <= 0:
        raise DomainError("invalid_amount", "Le montant d'un règlement doit être positif.")
    if amount > balance(total, paid):
        raise DomainError(
            "overpayment", f"Le règlement ({amount} €) dépasse le solde restant dû ({balance(total, paid)} €)."
        )
