"""Payments of an order, as seed 001's payment tab describes them.

Immediate payments (transfer, cheque, cash, card, holiday vouchers) are money received. A deferred
payment is a third-party payer's funding commitment: it counts toward settling the order as soon as
it is recorded, and is "pending collection" until the money arrives. When the third party does not
pay, the commitment is marked unpaid and the client owes that amount again. A payment attached to a
batch (cheque deposit, accounting export, transfer) can no longer be changed or deleted.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from shared.money import from_cents, quantize, to_cents
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
    """One participant's part of the order, which their legal guardian owes, and what was paid for it."""

    participant_id: UUID
    share: Decimal
    paid: Decimal

    @property
    def balance(self) -> Decimal:
        return quantize(self.share - self.paid)


def allocate(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`amount` split in proportion to `weights` (equally when they are all zero), in cents, summing exactly to it:
    each part is rounded toward zero, then the cents left go one each to the largest remainders, the earliest
    first on a tie."""
    if not weights:
        return []
    cents = [max(to_cents(w), 0) for w in weights]
    if not any(cents):
        cents = [1] * len(cents)
    whole, total = abs(to_cents(amount)), sum(cents)
    parts = [whole * c // total for c in cents]
    by_remainder = sorted(range(len(cents)), key=lambda i: (-(whole * cents[i] % total), i))
    for i in by_remainder[:whole - sum(parts)]:
        parts[i] += 1
    sign = -1 if amount < 0 else 1
    return [from_cents(sign * part) for part in parts]


def shares(participants: Sequence[UUID], lines: Iterable[tuple[UUID | None, Decimal]],
           entries: Iterable[Entry]) -> list[Share]:
    """Each participant's share, in the order's participant order: the shares sum exactly to the order's lines
    (its total) and what they have paid to what the payments cover, so a settled order leaves no share owing.

    A participant's own lines (stay, transport, extras, stock's add-ons, membership) are theirs; the lines of the
    whole order (typed add-ons, cash discount, promo code, cashback and other reductions) are shared out in
    proportion to the participants' own lines. A payment naming a participant counts toward their share (seed 001)
    up to it; what it pays beyond, the payments naming nobody and those naming someone no longer on the order first
    cover what each participant still owes, in proportion, and any excess (an overpaid order) goes in proportion to
    the shares. Every split follows `allocate` for the odd cent.
    """
    own = dict.fromkeys(participants, Decimal(0))
    whole_order = Decimal(0)
    for participant_id, amount in lines:
        if participant_id in own:
            own[participant_id] += amount
        else:
            whole_order += amount
    ids = list(own)
    owed = [quantize(own[p] + part) for p, part in zip(ids, allocate(whole_order, [own[p] for p in ids]), strict=True)]
    named = dict.fromkeys(ids, Decimal(0))
    pooled = Decimal(0)
    for entry in entries:
        if not entry.counts:
            continue
        if entry.participant_id in named:
            named[entry.participant_id] += entry.amount
        else:
            pooled += entry.amount
    counted = [min(named[p], share) for p, share in zip(ids, owed, strict=True)]
    pooled += sum(named.values(), Decimal(0)) - sum(counted, Decimal(0))
    due = [share - paid for share, paid in zip(owed, counted, strict=True)]
    covering = min(pooled, sum(due, Decimal(0)))
    paid = [quantize(own_payments + to_due + beyond) for own_payments, to_due, beyond in
            zip(counted, allocate(covering, due), allocate(pooled - covering, owed), strict=True)]
    return [Share(p, share, amount) for p, share, amount in zip(ids, owed, paid, strict=True)]


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
