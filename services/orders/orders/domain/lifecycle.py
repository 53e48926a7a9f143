"""The order state machine, as seed 001 describes it.

pending -> option (stock held the places) or refused (not enough places);
option -> option_expired when its deadline passes (places move to the overdue bucket);
option_expired -> option again when an operator reinstates it, or archived (by hand, or automatically
after the expired-option delay); option or option_expired -> validated when a payment is received;
validated -> cancelled, by the client or the organiser, always through an operator. The family (or its
reseller) may give up its own option online, which archives it.
"""
from datetime import datetime, timedelta
from enum import StrEnum

from shared.problems import DomainError


class Status(StrEnum):
    PENDING = "pending"
    OPTION = "option"
    REFUSED = "refused"
    OPTION_EXPIRED = "option_expired"
    VALIDATED = "validated"
    ARCHIVED = "archived"
    CANCELLED = "cancelled"


class Action(StrEnum):
    HOLD = "hold"
    REFUSE = "refuse"
    EXPIRE = "expire"
    REINSTATE = "reinstate"
    VALIDATE = "validate"
    ARCHIVE = "archive"
    CANCEL = "cancel"


TRANSITIONS: dict[Action, dict[Status, Status]] = {
    Action.HOLD: {Status.PENDING: Status.OPTION},
    Action.REFUSE: {Status.PENDING: Status.REFUSED},
    Action.EXPIRE: {Status.OPTION: Status.OPTION_EXPIRED},
    Action.REINSTATE: {Status.OPTION_EXPIRED: Status.OPTION},
    Action.VALIDATE: {Status.OPTION: Status.VALIDATED, Status.OPTION_EXPIRED: Status.VALIDATED},
    Action.ARCHIVE: {Status.OPTION: Status.ARCHIVED, Status.OPTION_EXPIRED: Status.ARCHIVED},
    Action.CANCEL: {Status.VALIDATED: Status.CANCELLED},
}

LABELS = {
    Status.PENDING: "en attente du stock",
    Status.OPTION: "option",
    Status.REFUSED: "refusée",
    Status.OPTION_EXPIRED: "option annulable",
    Status.VALIDATED: "validée",
    Status.ARCHIVED: "archivée",
    Status.CANCELLED: "annulée",
}


def next_status(current: Status, action: Action) -> Status:
    """The status after `action`, or a refusal an operator understands."""
    try:
        return TRANSITIONS[action][current]
    except KeyError:
        allowed = ", ".join(LABELS[s] for s in TRANSITIONS[action])
        raise DomainError(
            f"cannot_{action.value}",
            f"Impossible ({action.value}) : la commande est {LABELS[current]} ; possible seulement si {allowed}.",
        ) from None


def give_up(current: Status) -> Status:
    """The family, or the reseller that sold the order, gives up an option online: it ends as an option ends, archived
    with its places freed. A validated order is cancelled only by an operator (seed 001)."""
    if current == Status.VALIDATED:
        raise DomainError("cancellation_by_operator_only",
                          "Votre commande est validée : pour l'annuler, contactez notre service client.")
    return next_status(current, Action.ARCHIVE)


def option_deadline(held_at: datetime, option_days: int) -> datetime:
    return held_at + timedelta(days=option_days)


def archive_deadline(expired_at: datetime, expired_option_days: int) -> datetime:
    return expired_at + timedelta(days=expired_option_days)


def can_take_payment(status: Status) -> None:
    if status not in (Status.OPTION, Status.OPTION_EXPIRED, Status.VALIDATED):
        raise DomainError("payment_refused", f"Aucun règlement possible : la commande est {LABELS[status]}.")
