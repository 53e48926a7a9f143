"""A client's account: its statement at a date (every invoice, credit note and payment with the running balance)
and its aged balance. Pure functions of the entries.

An entry belongs to an account item: its order, or for a service invoice the invoice itself (its credit notes
name it). An item is settled when its entries sum to zero; the statement can hide settled items. Payments and
credits pay the oldest invoices first, so what is left unpaid is aged from its invoice's date (due on issue:
payment on receipt).
"""
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

ZERO = Decimal("0.00")
BUCKETS = ("not_due", "1_30", "31_60", "61_90", "over_90")


class EntryKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    PAYMENT = "payment"


@dataclass(frozen=True)
class Entry:
    on: date
    kind: EntryKind
    reference: str
    label: str
    item: UUID
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    balance: Decimal = ZERO
    order: UUID | None = None


def statement(entries: list[Entry], at: date, hide_settled: bool) -> tuple[list[Entry], Decimal]:
    """The entries up to `at`, oldest first, each with the balance after it; and the balance due at `at`."""
    dated = sorted((e for e in entries if e.on <= at), key=lambda e: (e.on, e.kind != EntryKind.INVOICE, e.reference))
    if hide_settled:
        net: dict[UUID, Decimal] = {}
        for entry in dated:
            net[entry.item] = net.get(entry.item, ZERO) + entry.debit - entry.credit
        dated = [e for e in dated if net[e.item] != 0]
    running, shown = ZERO, []
    for entry in dated:
        running += entry.debit - entry.credit
        shown.append(replace(entry, balance=running))
    total = sum((e.debit - e.credit for e in entries if e.on <= at), ZERO)
    return shown, total


def bucket_of(days_late: int) -> str:
    if days_late <= 0:
        return "not_due"
    if days_late <= 30:
        return "1_30"
    if days_late <= 60:
        return "31_60"
    return "61_90" if days_late <= 90 else "over_90"


def aged(entries: list[Entry], at: date) -> dict[str, Decimal]:
    """What is unpaid at `at`, by days since its invoice: credits pay the oldest invoices first."""
    dated = [e for e in entries if e.on <= at]
    paying = sum((e.credit for e in dated), ZERO)
    buckets = dict.fromkeys(BUCKETS, ZERO)
    for invoice in sorted((e for e in dated if e.debit), key=lambda e: e.on):
        paid = min(paying, invoice.debit)
        paying -= paid
        if invoice.debit > paid:
            buckets[bucket_of((at - invoice.on).days)] += invoice.debit - paid
    return buckets
