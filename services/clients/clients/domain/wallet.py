"""The wallet: a ledger of credits (cashback, referral) and debits (used on an order).

The balance is the sum of the entries, never a number stored and edited in place, so that every
euro of it can be explained. An entry is named by a reference: recording it twice records it once.
"""
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from shared.problems import DomainError

Source = Literal["cashback", "referral", "order"]


@dataclass(frozen=True)
class Entry:
    source: Source
    amount: Decimal
    """Positive for a credit, negative for a debit."""
    reference: str


def debit_entry(balance: Decimal, amount: Decimal, reference: str) -> Entry:
    """A debit of `amount` (positive) from a wallet holding `balance`; refused beyond the balance."""
    if amount > balance:
        raise DomainError("wallet_insufficient",
                          f"The wallet holds {balance} €, less than the {amount} € to use.")
    return Entry("order", -amount, reference)


def same_entry(existing: Entry, requested: Entry) -> Entry:
    """A reference already recorded: the same entry again is a retry; another one is a mistake."""
    if existing != requested:
        raise DomainError("wallet_reference_reused",
                          f"The reference {requested.reference} already names another wallet entry.")
    return existing
