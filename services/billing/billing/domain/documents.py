"""Invoices and credit notes as legal documents: their series, references, lines and snapshot.

A document is numbered in the series of its kind and calendar year of issue on the master entity's clock (its
time zone, Europe/Paris unless configured otherwise), and keeps a snapshot of everything printed on it, the time
zone among its seller's mentions, so that it can be rendered again identically.
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from shared.events import Buyer, InvoiceLine
from shared.problems import DomainError


class Kind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


PREFIX = {Kind.INVOICE: "F", Kind.CREDIT_NOTE: "A"}


class Seller(BaseModel):
    """The master entity's legal mentions, frozen into each document at its issue."""

    model_config = ConfigDict(frozen=True)
    name: str
    legal_form: str
    address_lines: list[str]
    postal_code: str
    city: str
    country: str
    siret: str
    rcs: str
    share_capital: str
    vat_number: str
    vat_mention: str
    payment_terms: str
    late_penalties: str
    recovery_indemnity: str
    invoice_text: str = ""
    time_zone: ZoneInfo = Field(ZoneInfo("Europe/Paris"), description="The master entity's time zone: the issue date "
                                "printed and the year of the series are its day.")


def valid_siret(siret: str) -> bool:
    """14 digits (spaces allowed) whose Luhn key checks, as INSEE numbers them."""
    digits = siret.replace(" ", "")
    if len(digits) != 14 or not digits.isdigit():
        return False
    doubled = (int(d) * (2 if i % 2 else 1) for i, d in enumerate(reversed(digits)))
    return sum(n - 9 if n > 9 else n for n in doubled) % 10 == 0


def issue_date(at: datetime, time_zone: ZoneInfo) -> date:
    """The date printed on a document: the master entity's day, whatever the server's time zone."""
    return at.astimezone(time_zone).date()


def series_for(kind: Kind, at: datetime, time_zone: ZoneInfo) -> str:
    """One continuous series per kind and calendar year of issue: F2026, A2026."""
    return f"{PREFIX[kind]}{issue_date(at, time_zone).year}"


def reference(series: str, number: int) -> str:
    return f"{series}-{number:05d}"


def check_lines(lines: list[InvoiceLine], total: Decimal) -> None:
    """An invoice prints its lines and its total: each line and their sum must be exact."""
    if not lines:
        raise DomainError("no_lines", "An invoice needs at least one line.")
    for line in lines:
        if line.quantity * line.unit_price != line.amount:
            raise DomainError(
                "line_amount_mismatch",
                f"Line '{line.label}': {line.quantity} × {line.unit_price} is not {line.amount}.",
            )
    lines_total = sum((line.amount for line in lines), Decimal("0.00"))
    if lines_total != total:
        raise DomainError("lines_do_not_sum", f"The lines sum to {lines_total}, not to the total {total}.")


def cancellation_fee_line(order_reference: str, fee_percent: Decimal, days_before: int | None,
                          fees: Decimal) -> InvoiceLine:
    """The one line of a cancellation invoice: the fees, with the schedule's percentage and the days left."""
    when = f", à {days_before} jour(s) du départ" if days_before is not None else ""
    return InvoiceLine(label=f"Frais d'annulation de la commande {order_reference} ({fee_percent} % du prix{when})",
                       quantity=1, unit_price=fees, amount=fees)


def cancellation_reason(order_reference: str, detail: str | None) -> str:
    """The reason printed on the credit note of a cancelled order."""
    reason = f"Annulation de la commande {order_reference}"
    return f"{reason} : {detail}" if detail else reason


@dataclass(frozen=True)
class Snapshot:
    """All that a document prints; rendering depends on nothing else."""

    kind: Kind
    reference: str
    issued_at: datetime
    order_reference: str
    seller: Seller
    buyer: Buyer
    lines: list[InvoiceLine]
    total: Decimal
    amount_paid: Decimal | None = None
    invoice_reference: str | None = None
    reason: str | None = None
    cancellation: bool = False

    @property
    def issued_on(self) -> date:
        return issue_date(self.issued_at, self.seller.time_zone)

    @property
    def balance(self) -> Decimal | None:
        return None if self.amount_paid is None else self.total - self.amount_paid
