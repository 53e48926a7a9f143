"""Accounting entries of a fiscal year and their FEC file (article A47 A-1 of the Livre des procédures fiscales).

Each invoice is one balanced entry of the sales journal: the customer debited with what it owes, sales credited
per VAT rate (or in one account when no VAT is shown), VAT collected per rate. A credit note is the same entry
reversed; a payment is one entry of the bank journal (the bank or cash account of its means, or the third-party
payers' account for a commitment), crediting the customer. Entries are numbered in date order, from 1, per file.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

ZERO = Decimal("0.00")
FEC_COLUMNS = ("JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
               "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
               "ValidDate", "Montantdevise", "Idevise")


class Chart(BaseModel):
    """The issuer's chart of accounts and journals; the defaults are the French general chart's."""

    sales_journal: str = Field("VT", max_length=10)
    bank_journal: str = Field("BQ", max_length=10)
    customers: str = Field("411000", pattern=r"^\d{3,10}$", description="Customers, grouped; each client is its "
                                                                        "auxiliary account.")
    sales: str = Field("706000", pattern=r"^\d{3,10}$", description="Sales without VAT shown, or at a rate not "
                                                                    "listed in sales_by_rate.")
    sales_by_rate: dict[str, str] = Field({"20.00": "706200", "10.00": "706100", "5.50": "706055"},
                                          description="Sales account per VAT rate.")
    vat_collected: str = Field("445710", pattern=r"^\d{3,10}$")
    bank: str = Field("512000", pattern=r"^\d{3,10}$")
    bank_by_method: dict[str, str] = Field({"cash": "530000"}, description="Cash and other means' own accounts.")
    third_party_payers: str = Field("467000", pattern=r"^\d{3,10}$", description="Commitments of third-party payers.")


@dataclass(frozen=True)
class Posting:
    account: str
    label: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    auxiliary: str = ""
    auxiliary_label: str = ""


@dataclass(frozen=True)
class JournalEntry:
    journal: str
    on: date
    piece: str
    label: str
    postings: tuple[Posting, ...]

    @property
    def balanced(self) -> bool:
        return sum(p.debit for p in self.postings) == sum(p.credit for p in self.postings)


@dataclass(frozen=True)
class RateAmounts:
    rate: Decimal | None
    base: Decimal
    vat: Decimal


def sales_entry(chart: Chart, on: date, piece: str, label: str, customer: str, customer_name: str,
                total: Decimal, amounts: list[RateAmounts], credit_note: bool) -> JournalEntry:
    """An invoice (or, reversed, a credit note) in the sales journal."""
    def side(amount: Decimal, debit: bool) -> dict[str, Decimal]:
        return {"debit": amount} if debit != credit_note else {"credit": amount}

    postings = [Posting(chart.customers, "Clients", auxiliary=customer, auxiliary_label=customer_name,
                        **side(total, True))]
    for amount in amounts:
        account = chart.sales_by_rate.get(str(amount.rate), chart.sales) if amount.rate is not None else chart.sales
        suffix = f" {amount.rate} %" if amount.rate is not None else ""
        if amount.base:
            postings.append(Posting(account, f"Ventes{suffix}", **side(amount.base, False)))
        if amount.vat:
            postings.append(Posting(chart.vat_collected, f"TVA collectée{suffix}", **side(amount.vat, False)))
    return JournalEntry(chart.sales_journal, on, piece, label, tuple(_positive(p) for p in postings))


def payment_entry(chart: Chart, on: date, piece: str, label: str, customer: str, customer_name: str,
                  amount: Decimal, method: str, deferred: bool) -> JournalEntry:
    account = chart.third_party_payers if deferred else chart.bank_by_method.get(method, chart.bank)
    return JournalEntry(chart.bank_journal, on, piece, label, tuple(_positive(p) for p in (
        Posting(account, "Tiers payants" if deferred else "Banque", debit=amount),
        Posting(chart.customers, "Clients", credit=amount, auxiliary=customer, auxiliary_label=customer_name),
    )))


def _positive(posting: Posting) -> Posting:
    """A negative amount (a discount line larger than the rest of its rate) goes to the other side."""
    if posting.debit < 0 or posting.credit < 0:
        return Posting(posting.account, posting.label, -posting.credit, -posting.debit, posting.auxiliary,
                       posting.auxiliary_label)
    return posting


def _fec_amount(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def _clean(text: str) -> str:
    """No tab or line break inside a field of a tab-separated file."""
    return " ".join(text.split())


def fec_rows(entries: list[JournalEntry], journal_names: dict[str, str]) -> list[list[str]]:
    """The FEC's rows, header first: entries in date order numbered from 1, validated on their date."""
    rows = [list(FEC_COLUMNS)]
    ordered = sorted(entries, key=lambda e: (e.on, e.journal, e.piece))
    for number, entry in enumerate(ordered, start=1):
        day = entry.on.strftime("%Y%m%d")
        for p in entry.postings:
            rows.append([entry.journal, journal_names.get(entry.journal, entry.journal), str(number), day, p.account,
                         p.label, p.auxiliary, _clean(p.auxiliary_label), entry.piece, day, _clean(entry.label),
                         _fec_amount(p.debit), _fec_amount(p.credit), "", "", day, "", ""])
    return rows


def fec_name(siren: str, closing: date) -> str:
    return f"{siren}FEC{closing:%Y%m%d}.txt"
