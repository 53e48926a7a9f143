"""Invoices and credit notes as legal documents: their series, references, lines and snapshot.

A document is numbered in its issuer's series of its kind and calendar year of issue on the issuer's clock (its
time zone, Europe/Paris unless configured otherwise), and keeps a snapshot of everything printed on it, the time
zone among its seller's mentions and its VAT totals, so that it can be rendered again identically.
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo


from billing.domain.issuers import Seller
from billing.domain.vat import VatSummary
from shared.events import Buyer, InvoiceLine
from shared.problems import DomainError


class Kind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


PREFIX = {Kind.INVOICE: "F", Kind.CREDIT_NOTE: "A"}


def issue_date(at: datetime, time_zone: ZoneInfo) -> date:
    """The date printed on a document: the master entity's day, whatever the server's time zone."""
    return at.astimezone(time_zone).date()


def series_for(kind: Kind, at: datetime, time_zone: ZoneInfo, issuer_code: str = "") -> str:
    """One continuous series per issuer, kind and calendar year of issue: F2026, A2026 for the master entity,
    LCRF2026 for the issuer coded LCR."""
    return f"{issuer_code}{PREFIX[kind]}{issue_date(at, time_zone).year}"


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


def credited_lines(lines: list[InvoiceLine], picks: list[tuple[int, int]]) -> list[InvoiceLine]:
    """Some of an invoice's lines, each for some of its quantity: `picks` are (line index, quantity)."""
    credited = []
    for index, quantity in picks:
        if not 0 <= index < len(lines):
            raise DomainError("no_such_line", f"The invoice has no line {index} (it has {len(lines)}).")
        line = lines[index]
        if not 1 <= quantity <= line.quantity:
            raise DomainError("quantity_exceeds_line",
                              f"Line {index} ('{line.label}') has {line.quantity}; {quantity} cannot be credited.")
        credited.append(line.model_copy(update={"quantity": quantity, "amount": line.unit_price * quantity}))
    return credited


def amount_line(invoice_reference: str, amount: Decimal, vat_rate: Decimal | None, label: str | None) -> InvoiceLine:
    """A credit of an amount, at one of the invoice's rates."""
    return InvoiceLine(label=label or f"Avoir partiel sur la facture {invoice_reference}", quantity=1,
                       unit_price=amount, amount=amount, vat_rate=vat_rate)


def remainder_lines(invoice_reference: str, lines: list[InvoiceLine],
                    credited: list[InvoiceLine]) -> list[InvoiceLine]:
    """What is left to credit of an invoice, one line per VAT rate: a whole cancellation after partial ones."""
    left: dict[Decimal | None, Decimal] = {}
    for line in lines:
        left[line.vat_rate] = left.get(line.vat_rate, Decimal("0.00")) + line.amount
    for line in credited:
        left[line.vat_rate] = left.get(line.vat_rate, Decimal("0.00")) - line.amount
    return [amount_line(invoice_reference, amount, rate, f"Solde de la facture {invoice_reference}"
                        + (f" (TVA {rate} %)" if rate is not None else ""))
            for rate, amount in left.items() if amount != 0]


def check_credit(invoice_total: Decimal, already_credited: Decimal, credit: Decimal) -> None:
    """An invoice's credit notes never sum to more than the invoice."""
    if credit <= 0:
        raise DomainError("nothing_to_credit", "A credit note credits a positive amount.")
    if already_credited + credit > invoice_total:
        raise DomainError("credit_exceeds_invoice",
                          f"{credit} more would credit {already_credited + credit} of an invoice of {invoice_total}.")


@dataclass(frozen=True)
class Snapshot:
    """All that a document prints; rendering depends on nothing else."""

    kind: Kind
    reference: str
    issued_at: datetime
    order_reference: str | None
    seller: Seller
    buyer: Buyer
    lines: list[InvoiceLine]
    total: Decimal
    amount_paid: Decimal | None = None
    invoice_reference: str | None = None
    reason: str | None = None
    cancellation: bool = False
    vat: VatSummary | None = None

    @property
    def issued_on(self) -> date:
        return issue_date(self.issued_at, self.seller.time_zone)

    @property
    def balance(self) -> Decimal | None:
        return None if self.amount_paid is None else self.total - self.amount_paid
