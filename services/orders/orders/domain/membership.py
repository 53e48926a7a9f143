"""Membership fees (seed 004): who pays which fee on a new order, from the client's membership history.

The fee is managed by the master entity (one cycle for every organiser) or per organiser (one cycle
per organiser the client booked with): the `scope`. A cycle is a calendar year or a rolling year
from the first fee of the cycle. Within a cycle a participant pays the individual fee once; when the
policy has a family fee, the second participant (in the same order or a later one) turns the
membership into a family one, and the client pays only the difference with the individual fees
already paid. A fee of an earlier order counts only once that order is validated or cancelled (seed
004: the first participant's order must be validated or cancelled within the cycle); an order never
validated (option, archived, refused) has paid nothing.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from shared.money import quantize

COUNTING_STATUSES = frozenset({"validated", "cancelled"})


class Year(StrEnum):
    CALENDAR = "calendar"
    ROLLING = "rolling"


class FeeKind(StrEnum):
    INDIVIDUAL = "individual"
    FAMILY = "family"


@dataclass(frozen=True)
class Policy:
    """The membership configured for the scope; a fee left empty counts as nothing (seed 004)."""

    scope_id: UUID
    scope_name: str
    individual_fee: Decimal
    family_fee: Decimal | None
    year: Year


@dataclass(frozen=True)
class ClientTerms:
    """What the client type and the kind of order change: individual only, or no membership at all."""

    individual_only: bool = False
    group_order: bool = False
    no_membership_on_group_orders: bool = False


@dataclass(frozen=True)
class Charge:
    """A fee charged earlier to this client, in its scope, with the current status of its order."""

    scope_id: UUID
    order_id: UUID
    participant_id: UUID
    kind: FeeKind
    amount: Decimal
    cycle_start: date
    cycle_end: date
    order_status: str

    def covers(self, day: date) -> bool:
        return self.cycle_start <= day <= self.cycle_end and self.order_status in COUNTING_STATUSES


@dataclass(frozen=True)
class Fee:
    """One membership line of the new order."""

    participant_id: UUID
    kind: FeeKind
    amount: Decimal
    label: str


@dataclass(frozen=True)
class Outcome:
    fees: tuple[Fee, ...]
    cycle_start: date
    cycle_end: date
    note: str | None = None

    @property
    def total(self) -> Decimal:
        return quantize(sum((fee.amount for fee in self.fees), Decimal(0)))


def cycle_of(start: date, year: Year) -> tuple[date, date]:
    """The cycle a fee charged on `start` opens: the calendar year, or one year from that day."""
    if year is Year.CALENDAR:
        return date(start.year, 1, 1), date(start.year, 12, 31)
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February: the cycle ends on 28 February
        anniversary = start.replace(year=start.year + 1, day=28)
    return start, anniversary - timedelta(days=1)


def fees_for(policy: Policy | None, terms: ClientTerms, participants: Sequence[UUID], history: Iterable[Charge],
             today: date) -> Outcome:
    """The membership fees of a new order for `participants` booked on `today`."""
    if policy is None or (terms.group_order and terms.no_membership_on_group_orders):
        return Outcome((), today, today)
    individual = quantize(policy.individual_fee or 0)
    family = quantize(policy.family_fee) if policy.family_fee and not terms.individual_only else None
    active = [c for c in history if c.scope_id == policy.scope_id and c.covers(today)]
    cycle_start, cycle_end = (min(c.cycle_start for c in active), max(c.cycle_end for c in active)) if active \
        else cycle_of(today, policy.year)
    until = f"votre adhésion est valable jusqu'au {cycle_end:%d/%m/%Y}"
    if family is not None and any(c.kind is FeeKind.FAMILY for c in active):
        return Outcome((), cycle_start, cycle_end,
                       f"Adhésion familiale déjà réglée auprès de {policy.scope_name} : {until}.")
    members = {c.participant_id for c in active}
    newcomers = [p for p in dict.fromkeys(participants) if p not in members]
    if not newcomers:
        note = f"Adhésion déjà réglée auprès de {policy.scope_name} : {until}." if active else None
        return Outcome((), cycle_start, cycle_end, note)
    if family is not None and len(members) + len(newcomers) >= 2:
        already = quantize(sum((c.amount for c in active), Decimal(0)))
        due = max(family - already, Decimal("0.00"))
        label = f"Adhésion familiale {policy.scope_name}"
        if already:
            label += f" (différence avec les {already} € déjà réglés)"
        return Outcome((Fee(newcomers[0], FeeKind.FAMILY, due, label),), cycle_start, cycle_end)
    if individual == 0:
        return Outcome((), cycle_start, cycle_end)
    return Outcome(tuple(Fee(p, FeeKind.INDIVIDUAL, individual, f"Adhésion individuelle {policy.scope_name}")
                         for p in newcomers), cycle_start, cycle_end)
