"""The price of a booking: one line per participant, and lines that always sum to the total."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.money import quantize
from shared.problems import DomainError


@dataclass(frozen=True)
class Line:
    label: str
    quantity: int
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return quantize(self.unit_price * self.quantity)


def stay_lines(stay_title: str, start: date, end: date, unit_price: Decimal, participants: list[str]) -> list[Line]:
    period = f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"
    return [Line(f"Séjour {stay_title} {period} – {name}", 1, quantize(unit_price)) for name in participants]


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
