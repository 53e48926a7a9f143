"""Paying online by card (the family portal, seed 004's card means): what a payment session asks, and what the
provider's notifications make of it.

A family pays the deposit asked (seed 004: what it still lacks of it) or the balance due on the provider's hosted
page. Nothing is paid until the provider's signed notification says so: the browser's return proves nothing.
"""
from decimal import Decimal
from enum import StrEnum

from orders.domain.lifecycle import Status, can_take_payment
from shared.money import quantize
from shared.problems import DomainError


class Purpose(StrEnum):
    DEPOSIT = "deposit"
    BALANCE = "balance"


LABELS = {Purpose.DEPOSIT: "Acompte", Purpose.BALANCE: "Solde"}


class SessionStatus(StrEnum):
    OPEN = "open"
    """On the provider's page, not paid (yet)."""
    PROCESSING = "processing"
    """Completed with a means whose money arrives later: the provider will say whether it did."""
    PAID = "paid"
    """Recorded as a card payment of the order."""
    UNAPPLIED = "unapplied"
    """Paid, but the order could no longer take it (cancelled, archived, already settled): to refund."""
    EXPIRED = "expired"
    FAILED = "failed"


def amount_due(purpose: Purpose, status: Status, total: Decimal, covered: Decimal, deposit: Decimal | None) -> Decimal:
    """What a session for `purpose` asks: the deposit less what the payments already cover, or the whole balance."""
    can_take_payment(status)
    balance = quantize(total - covered)
    if balance <= 0:
        raise DomainError("nothing_due", "Rien n'est dû sur cette commande : elle est soldée.")
    if purpose == Purpose.BALANCE:
        return balance
    if deposit is None:
        raise DomainError("no_deposit_asked", "Aucun acompte n'est demandé pour cette commande : réglez le solde.")
    lacking = quantize(min(deposit - covered, balance))
    if lacking <= 0:
        raise DomainError("deposit_paid", f"L'acompte est réglé : reste le solde de {balance} €.")
    return lacking


def status_after(current: SessionStatus, event: str, paid: bool) -> SessionStatus:
    """A session's status after one of the provider's notifications; paying is the caller's (it records the
    payment, or finds it unapplicable). A session already paid, unapplied or expired keeps its status."""
    if current not in (SessionStatus.OPEN, SessionStatus.PROCESSING):
        return current
    if event in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
        return SessionStatus.PAID if paid else SessionStatus.PROCESSING
    if event == "checkout.session.async_payment_failed":
        return SessionStatus.FAILED
    if event == "checkout.session.expired":
        return SessionStatus.EXPIRED
    return current
