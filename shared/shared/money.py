"""Money is Decimal euros with two places, rounded half-up. Never float."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer

CENT = Decimal("0.01")
NARROW_NBSP = "\u202f"


def quantize(amount: Decimal | int | str) -> Decimal:
    if isinstance(amount, float):
        raise TypeError("money must not be a float")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(amount: Decimal) -> int:
    return int(quantize(amount) * 100)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def _two_places(value: Decimal) -> Decimal:
    try:
        cents = value.quantize(CENT)
    except InvalidOperation as error:  # too many digits for the context: a 422, not a 500
        raise ValueError("the amount is too large") from error
    if value != cents:
        raise ValueError("an amount has at most two decimal places")
    return cents


Money = Annotated[Decimal, AfterValidator(_two_places), PlainSerializer(lambda v: str(v), return_type=str)]
"""A euro amount in API and event models: accepts "12.50" or 12.5, rejects more than two places, serialises as a string."""


def format_eur(amount: Decimal) -> str:
    """French display: 1 234,50 €."""
    whole, _, cents = f"{quantize(amount):,.2f}".partition(".")
    thousands = whole.replace(",", NARROW_NBSP)
    return f"{thousands},{cents} €"
