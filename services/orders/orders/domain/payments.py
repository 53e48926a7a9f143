"""Payments of an order, as seed 001's payment tab describes them.

Immediate payments (transfer, cheque, cash, card, holiday vouchers) are money received. A deferred
payment is a third-party payer's funding commitment: it counts toward settling the order as soon as
it is recorded, and is "pending collection" until the money arrives. When the third party does not
pay, the commitment is marked unpaid and the client owes that amount again. A payment attached to a
batch (cheque deposit, accounting export, transfer) can no longer be changed or deleted.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from shared.money import quantize
from shared.problems import DomainError

IMMEDIATE_METHODS = ("transfer", "cheque", "cash", "card", "holiday_vouchers")
DEFERRED_METHOD = "third_party"


class Collection(StrEnum):
    """Where the money of a payment stands: immediate payments are received when recorded."""

    RECEIVED = "received"
    PENDING = "pending"
    UNPAID = "unpaid"


class BatchKind(StrEnum):
    CHEQUE_DEPOSIT = "cheque_deposit"
    ACCOUNTING_EXPORT = "accounting_export"
    TRANSFER = "transfer"


BATCH_LABELS = {
    BatchKind.CHEQUE_DEPOSIT: "une remise de chèques",
    BatchKind.ACCOUNTING_EXPORT: "un export comptable",
    BatchKind.TRANSFER: "un reversement",
}


@dataclass(frozen=True)
class Entry:
    """What the rules need of one payment."""

    amount: Decimal
    deferred: bool
    collection: Collection
    participant_id: UUID | None = None

    @property
    def counts(self) -> bool:
        """An unpaid commitment no longer covers anything: the client owes it again."""
        return self.collection != Collection.UNPAID


@dataclass(frozen=True)
class Summary:
    total: Decimal
    immediate: Decimal
    deferred: Decimal
    pending_collection: Decimal

    @property
    def covered(self) -> Decimal:
        return quantize(self.immediate + self.deferred)

    @property
    def balance(self) -> Decimal:
        """Balance due = total - immediate - deferred (commitments count even before they are collected)."""
        return quantize(self.total - self.covered)

    @property
    def received(self) -> Decimal:
        """The money actually in hand: immediate payments and collected commitments."""
        return quantize(self.covered - self.pending_collection)

    @property
    def settled(self) -> bool:
        return self.total > 0 and self.balance <= 0


def _sum(amounts: Iterable[Decimal]) -> Decimal:
    return quantize(sum(amounts, Decimal(0)))


def summarise(total: Decimal, entries: Iterable[Entry]) -> Summary:
    entries = [e for e in entries if e.counts]
    return Summary(
        total=quantize(total),
        immediate=_sum(e.amount for e in entries if not e.deferred),
        deferred=_sum(e.amount for e in entries if e.deferred),
        pending_collection=_sum(e.amount for e in entries if e.deferred and e.collection == Collection.PENDING),
    )


@dataclass(frozen=True)
class Share:
    """One participant's part of the order, which their legal guardian owes, and what the guardian paid."""

    participant_id: UUID
    share: Decimal
    paid: Decimal

    @property
    def balance(self) -> Decimal:
        return quantize(self.share - self.paid)


def shares(line_amounts: Iterable[tuple[UUID, Decimal]], entries: Iterable[Entry]) -> list[Share]:
    """Each participant's share (the sum of their lines) and the payments made for them, in line order."""
    owed: dict[UUID, Decimal] = {}
    for participant_id, amount in line_amounts:
        owed[participant_id] = owed.get(participant_id, Decimal(0)) + amount
    paid: dict[UUID, Decimal] = {}
    for entry in entries:
        if entry.counts and entry.participant_id is not None:
            paid[entry.participant_id] = paid.get(entry.participant_id, Decimal(0)) + entry.amount
    return [Share(pid, quantize(amount), quantize(paid.get(pid, Decimal(0)))) for pid, amount in owed.items()]


def initial_collection(method: str) -> Collection:
    return Collection.PENDING if method == DEFERRED_METHOD else Collection.RECEIVED


def check_new(method: str, third_party_payer_id: UUID | None) -> None:
    if method == DEFERRED_METHOD and third_party_payer_id is None:
        raise DomainError("third_party_payer_required",
                          "Un règlement différé doit désigner le tiers payant qui prend en charge le montant.")
    if method != DEFERRED_METHOD and third_party_payer_id is not None:
        raise DomainError("third_party_payer_on_immediate",
                          "Seul un règlement différé (prise en charge) désigne un tiers payant.")


def check_editable(batch_kind: str | None) -> None:
    if batch_kind is not None:
        raise DomainError("payment_locked",
                          f"Ce règlement est rattaché à {BATCH_LABELS[BatchKind(batch_kind)]} : il n'est plus modifiable.")


def check_amount_change(old: Decimal, new: Decimal, balance: Decimal) -> None:
    """A changed amount may not cover more than the order still owes."""
    if new <= 0:
        raise DomainError("invalid_amount", "Le montant d'un règlement doit être positif.")
    if new - old > balance:
        raise DomainError("overpayment",
                          f"Le nouveau montant dépasse le solde restant dû ({quantize(balance)} €) de {quantize(new - old - balance)} €.")


def collect(entry: Entry, outcome: Collection) -> Collection:
    """A pending commitment becomes received or unpaid; an unpaid one can still be received late."""
    if not entry.deferred:
        raise DomainError("not_deferred", "Seule une prise en charge d'un tiers payant s'encaisse ou se déclare impayée.")
    allowed = {Collection.PENDING: (Collection.RECEIVED, Collection.UNPAID), Collection.UNPAID: (Collection.RECEIVED,)}
    if outcome not in allowed.get(entry.collection, ()):
        raise DomainError("collection_refused",
                          f"Cette prise en charge est déjà {'encaissée' if entry.collection == Collection.RECEIVED else 'impayée'}.")
    return outcome


def check_batch(kind: BatchKind, methods: Iterable[str], locked: Iterable[bool]) -> None:
    if any(locked):
        raise DomainError("payment_locked", "Un des règlements est déjà rattaché à une remise, un export ou un reversement.")
    if kind == BatchKind.CHEQUE_DEPOSIT and any(m != "cheque" for m in methods):
        raise DomainError("not_a_cheque", "Une remise de chèques ne contient que des règlements par chèque.")
