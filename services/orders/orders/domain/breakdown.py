"""The order summary of seed 001: package, add-ons, cash discount, reductions, membership, total.

The package is per participant (stay + transport + extras, from `pricing`); add-on products are
lines of their own: stock's, per participant (from `pricing`), and those the operator types for the
whole order; the cash discount and the reductions (at most one promo code, cashback
from the wallet, siblings, referral) are negative lines; membership fees come from `membership`.
Every line is in cents, so the total is exactly the sum of the lines. Reductions can never take
the price of the package and add-ons below zero: the operator is told instead.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from orders.domain import pricing
from orders.domain.membership import Fee
from shared.money import quantize
from shared.problems import DomainError

PACKAGE_KINDS = ("stay", "transport", "extra")
REDUCTION_KINDS = ("promo_code", "cashback", "siblings", "referral")
KINDS = (*PACKAGE_KINDS, "add_on", "cash_discount", *REDUCTION_KINDS, "membership")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Entry:
    """One line of the breakdown; `participant_id` is None for lines of the whole order."""

    kind: str
    label: str
    amount: Decimal
    participant_id: UUID | None = None
    quantity: int = 1

    @property
    def unit_price(self) -> Decimal:
        return quantize(self.amount / self.quantity)


@dataclass(frozen=True)
class AddOn:
    """An add-on line the operator types for the whole order, outside stock's catalogue."""

    label: str
    amount: Decimal


@dataclass(frozen=True)
class Reductions:
    """The reductions asked for; `promo_code` is the amount off already computed (and frozen) for the code."""

    promo_code: tuple[str, Decimal] | None = None
    cashback: Decimal = ZERO
    siblings: Decimal = ZERO
    referral: Decimal = ZERO


@dataclass(frozen=True)
class Breakdown:
    entries: tuple[Entry, ...]

    def sum_of(self, *kinds: str) -> Decimal:
        return quantize(sum((e.amount for e in self.entries if e.kind in kinds), Decimal(0)))

    @property
    def package(self) -> Decimal:
        return self.sum_of(*PACKAGE_KINDS)

    @property
    def add_ons(self) -> Decimal:
        return self.sum_of("add_on")

    @property
    def cash_discount(self) -> Decimal:
        return self.sum_of("cash_discount")

    @property
    def reductions(self) -> Decimal:
        return self.sum_of(*REDUCTION_KINDS)

    @property
    def membership(self) -> Decimal:
        return self.sum_of("membership")

    @property
    def total(self) -> Decimal:
        return self.sum_of(*KINDS)

    def summary(self) -> dict[str, Decimal]:
        return {"package": self.package, "add_ons": self.add_ons, "cash_discount": self.cash_discount,
                "reductions": self.reductions, "membership": self.membership, "total": self.total}


def price_base(package: Sequence[tuple[UUID, pricing.Line]], add_ons: Sequence[AddOn]) -> Decimal:
    """What reductions apply to: the participants' lines (package and stock's add-ons) and the typed add-ons."""
    return quantize(sum((line.amount for _, line in package), Decimal(0)) + sum((a.amount for a in add_ons),
                                                                                    Decimal(0)))


def build(package: Sequence[tuple[UUID, pricing.Line]], add_ons: Sequence[AddOn], cash_discount: Decimal,
          reductions: Reductions, membership: Sequence[Fee], wallet_balance: Decimal | None = None) -> Breakdown:
    """The breakdown of an order, or a refusal when the discounts exceed the price or the wallet."""
    entries = [Entry(line.kind.value, line.label, line.amount, pid, line.quantity) for pid, line in package]
    entries += [Entry("add_on", a.label, quantize(a.amount)) for a in add_ons]
    base = price_base(package, add_ons)
    if reductions.cashback and wallet_balance is not None and reductions.cashback > wallet_balance:
        raise DomainError("wallet_insufficient",
                          f"Le portefeuille du client ne contient que {wallet_balance} € : "
                          f"impossible d'utiliser {reductions.cashback} € de cashback.")
    off: list[Entry] = []
    if cash_discount:
        off.append(Entry("cash_discount", "Remise en numéraire", -quantize(cash_discount)))
    if reductions.promo_code is not None:
        code, amount = reductions.promo_code
        off.append(Entry("promo_code", f"Code promo {code}", -quantize(amount)))
    for kind, amount, label in (("siblings", reductions.siblings, "Réduction fratrie"),
                                ("referral", reductions.referral, "Réduction parrainage"),
                                ("cashback", reductions.cashback, "Cashback (portefeuille électronique)")):
        if amount:
            off.append(Entry(kind, label, -quantize(amount)))
    taken = -sum((e.amount for e in off), Decimal(0))
    if taken > base:
        raise DomainError("reductions_exceed_price",
                          f"Les remises et réductions ({quantize(taken)} €) dépassent le prix du forfait et des "
                          f"frais annexes ({base} €).")
    entries += off
    entries += [Entry("membership", fee.label, fee.amount, fee.participant_id) for fee in membership if fee.amount]
    return Breakdown(tuple(entries))
