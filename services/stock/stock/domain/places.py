"""Places of a departure: capacity = free + held + overdue + confirmed, always.

An order's places sit in one bucket, derived from the order's status alone, so that stock can be
recomputed from the newest order state it has seen, whatever order the events arrived in.
"""
from dataclasses import dataclass
from enum import StrEnum

from shared.problems import DomainError


class Bucket(StrEnum):
    HELD = "held"
    OVERDUE = "overdue"
    CONFIRMED = "confirmed"


class HoldState(StrEnum):
    """Where an order's places are: in a bucket, or nowhere (released, or never held)."""

    HELD = "held"
    OVERDUE = "overdue"
    CONFIRMED = "confirmed"
    RELEASED = "released"
    REJECTED = "rejected"
    DEFERRED = "deferred"
    """A reseller's customer's order: checked against the free places, taken only once validated."""

    @property
    def bucket(self) -> Bucket | None:
        return Bucket(self.value) if self.value in Bucket.__members__.values() else None


ORDER_STATUS_TO_STATE: dict[str, HoldState] = {
    "option": HoldState.HELD,
    "option_expired": HoldState.OVERDUE,
    "validated": HoldState.CONFIRMED,
    "refused": HoldState.RELEASED,
    "archived": HoldState.RELEASED,
    "cancelled": HoldState.RELEASED,
}
"""The order statuses after `pending`: pending is the request to hold, decided by `hold`."""


@dataclass(frozen=True)
class Stock:
    capacity: int
    held: int = 0
    overdue: int = 0
    confirmed: int = 0

    @property
    def taken(self) -> int:
        return self.held + self.overdue + self.confirmed

    @property
    def free(self) -> int:
        return self.capacity - self.taken


def validate_capacity(capacity: int, taken: int = 0) -> None:
    if capacity < taken:
        raise DomainError("capacity_below_taken", f"The capacity cannot go below the {taken} places already taken.")


def extra_refusal_reason(label: str, quantity: int, free: int) -> str:
    return f"Option « {label} » : {free} place(s) disponible(s) pour {quantity} demandée(s)."


def refusal_reason(places: int, free: int) -> str:
    """The reason an operator reads on a refused order."""
    if free == 0:
        return f"Départ complet : aucune place disponible pour {places} participant(s)."
    return f"Places insuffisantes : {free} place(s) disponible(s) pour {places} participant(s) demandée(s)."


def transition(current: HoldState, order_status: str) -> tuple[Bucket | None, Bucket | None] | None:
    """The bucket to take the places from and the one to put them in, or None when nothing moves.

    Released and rejected are final: a late event cannot bring places back. A deferred hold (seed 000:
    a reseller's customers take the producer's places only when their order is finalised) stays
    deferred through options and takes its places from the free ones when validated.
    """
    if current in (HoldState.RELEASED, HoldState.REJECTED) or order_status == "pending":
        return None
    target = ORDER_STATUS_TO_STATE[order_status]
    if target == current or (current == HoldState.DEFERRED and target in (HoldState.HELD, HoldState.OVERDUE)):
        return None
    return current.bucket, target.bucket
