"""Promo codes (seed 001): an amount or a percentage off, within validity dates and a number of uses.

One code per order; once applied it stays on the order, like cashback: a modification can neither add, remove
nor change it. The order keeps the code's terms as they were when applied, so changing the code later changes no
order. When a modification reprices the order, a percentage is taken again off the new price (10 % of 904 is
90.40, not the 91.20 of the price before), while an amount off stays what it was.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from shared.money import quantize
from shared.problems import DomainError

HUNDRED = Decimal(100)


class PromoKind(StrEnum):
    AMOUNT = "amount"
    PERCENT = "percent"


@dataclass(frozen=True)
class PromoCode:
    code: str
    kind: PromoKind
    value: Decimal
    valid_from: date | None = None
    valid_until: date | None = None
    max_uses: int | None = None
    uses: int = 0


def check_usable(promo: PromoCode, today: date) -> None:
    """Refuse a code outside its dates or with no use left, saying which."""
    if promo.valid_from is not None and today < promo.valid_from:
        raise DomainError("promo_code_not_yet_valid",
                          f"Le code promo {promo.code} n'est valable qu'à partir du {promo.valid_from:%d/%m/%Y}.")
    if promo.valid_until is not None and today > promo.valid_until:
        raise DomainError("promo_code_expired",
                          f"Le code promo {promo.code} a expiré le {promo.valid_until:%d/%m/%Y}.")
    if promo.max_uses is not None and promo.uses >= promo.max_uses:
        raise DomainError("promo_code_used_up",
                          f"Le code promo {promo.code} a déjà servi {promo.uses} fois sur {promo.max_uses} possibles.")


def discount(promo: PromoCode, base: Decimal) -> Decimal:
    """The amount off `base` (the package and add-ons): never more than the base itself."""
    if promo.kind is PromoKind.PERCENT:
        return min(quantize(base * promo.value / HUNDRED), quantize(base))
    return min(quantize(promo.value), quantize(base))


@dataclass(frozen=True)
class Applied:
    """A code as an order applied it: the amount it took off and, for a percentage, its rate then."""

    code: str
    amount: Decimal
    percent: Decimal | None = None

    def off(self, base: Decimal) -> Decimal:
        """What the code takes off the order repriced at `base`."""
        if self.percent is None:
            return self.amount
        return discount(PromoCode(self.code, PromoKind.PERCENT, self.percent), base)
