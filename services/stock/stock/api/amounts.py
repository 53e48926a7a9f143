"""The amounts and percentages stock's API reads, in queries and bodies alike: bounded by what their columns hold, so
that a value too large is a 422 naming its field and never an overflow in PostgreSQL; described in the OpenAPI
document exactly as they are read (a decimal string of at most two places, or a whole number), so that data valid
by the document is accepted."""
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, WithJsonSchema

from shared.money import Money

AMOUNT_MAX = Decimal("9999999999.99")
"""The largest amount a NUMERIC(12,2) column holds."""
PRICE_MAX = Decimal("1000000")
"""A price, fare or fee of stock: far below what its column holds."""
PERCENT_MAX = Decimal("100")


def _schema(maximum: Decimal, whole_digits: int, example: str) -> WithJsonSchema:
    """A whole number from 0 to `maximum`, or a decimal string of at most two places and `whole_digits` digits before
    them (within `maximum`)."""
    pattern = rf"^\d{{1,{whole_digits}}}(\.\d{{1,2}})?$"
    return WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0, "maximum": int(maximum)},
                                     {"type": "string", "pattern": pattern}], "examples": [example]},
                          mode="validation")


def _bounded(maximum: Decimal, whole_digits: int, example: str) -> Any:
    return Annotated[Money, Field(ge=0, le=maximum), _schema(maximum, whole_digits, example)]


Amount = _bounded(AMOUNT_MAX, 10, "1500.00")
"""Any amount a NUMERIC(12,2) column holds: what a filter on prices may name."""
Price = _bounded(PRICE_MAX, 6, "850.00")
"""A price, fare or membership fee."""
Percent = Annotated[Decimal, Field(ge=0, le=PERCENT_MAX, decimal_places=2), _schema(PERCENT_MAX, 2, "12.50")]
"""A percentage of 0 to 100 with at most two places: a markup, a deposit, a variation."""
