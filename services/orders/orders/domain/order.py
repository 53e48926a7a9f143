"""The order aggregate: the only code that changes an order's status and writes its workflow log.

Its methods apply the lifecycle table, check the rules and record what happened (a workflow line, and the event it
causes); they do no I/O. The unit of work (`orders.unit_of_work`), on commit, gives the recorded events their
versions, writes the workflow lines and puts the events, built from the order's resulting state, in the outbox. The
mapped `Order` of `orders.tables` is this class with its columns.

Each recorded event takes a version of its own, as before the aggregate: billing and notifications each guard every
event of an order with one strict version check, so two events sharing a version would lose the second.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from orders.domain.lifecycle import Action, Status, give_up, next_status, option_deadline
from shared import events

SYSTEM = "system"

Moment = Callable[[datetime], str]
"""How an instant is written for people (the organiser's time zone)."""

EVENT_OF_STATUS: dict[Status, type[events.OrderState]] = {
    Status.PENDING: events.OrderPlaced,
    Status.OPTION: events.OrderOptioned,
    Status.REFUSED: events.OrderRefused,
    Status.OPTION_EXPIRED: events.OrderOptionExpired,
    Status.VALIDATED: events.OrderValidated,
    Status.ARCHIVED: events.OrderArchived,
    Status.CANCELLED: events.OrderCancelled,
}


@dataclass(frozen=True)
class Recorded:
    """A change of the order: its workflow line (with the status after it) and the event it causes, if any, built
    when the unit of work saves the order, so that it carries the order's resulting state; a new version for each
    event unless it goes with the change before it, and for a line that says the order changed."""

    action: str
    detail: str
    actor: str
    status: str
    event: Callable[[Any], events.Event] | None = None
    logged: bool = True
    new_version: bool = True


def extra_quantities(choices: list[dict[str, Any]]) -> list[events.ExtraQuantity]:
    """How many of each extra the order books, from its participants' choices, for stock's extras capacity."""
    counts: dict[str, int] = {}
    for choice in choices:
        for extra in choice.get("extra_ids") or []:
            counts[extra] = counts.get(extra, 0) + 1
    return [events.ExtraQuantity(extra_id=UUID(e), quantity=n) for e, n in sorted(counts.items())]


def order_state(cls: type[events.Event], order: Any, **extra: object) -> events.Event:
    """The lifecycle event `cls` with the order's whole state."""
    return cls(
        order_id=order.id, reference=order.reference, client_id=order.client_id, departure_id=order.departure_id,
        status=order.status, places=len(order.participants),
        participant_ids=[p.participant_id for p in order.participants], total=order.total,
        amount_paid=order.amount_paid, invoiced=order.invoiced, option_expires_at=order.option_expires_at,
        refusal_reason=order.refusal_reason, reseller_id=order.reseller_id,
        **{"extras": extra_quantities(order.terms.choices if order.terms is not None else []), **extra},
    )


class OrderAggregate:
    """The rules of an order's lifecycle. The attributes it reads and writes are the mapped order's columns."""

    if TYPE_CHECKING:
        status: str
        option_expires_at: datetime | None
        option_expired_at: datetime | None
        refusal_reason: str | None
        cancelled_by: str | None
        cancellation_reason: str | None
        option_days: int | None
        buyer: dict[str, Any]

    @property
    def recorded(self) -> list[Recorded]:
        """What happened since the order was loaded or last saved (a loaded row has no list until a change)."""
        if "_recorded" not in self.__dict__:
            self.__dict__["_recorded"] = []
        return self.__dict__["_recorded"]

    def take_recorded(self) -> list[Recorded]:
        taken, self.__dict__["_recorded"] = self.recorded, []
        return taken

    def note(self, action: str, detail: str, actor: str, new_version: bool = False) -> None:
        """A workflow line, nobody told; `new_version` when something of the order itself changed with it (its
        documents, its travel pack's mode)."""
        self.recorded.append(Recorded(action, detail, actor, self.status, new_version=new_version))

    def _changed(self, action: str, detail: str, actor: str, **extra: object) -> None:
        """A change of status, announced with the lifecycle event of the resulting status."""
        cls = EVENT_OF_STATUS[Status(self.status)]
        self.recorded.append(Recorded(action, detail, actor, self.status,
                                      lambda order: order_state(cls, order, **extra)))

    def placed(self, detail: str, actor: str, consents: events.ConsentAnswers | None) -> None:
        self._changed("placed", detail, actor, consents=consents)

    def option_days_of(self, configured: int) -> int:
        """The option duration the order was booked with (its organiser's), or orders' configuration without one."""
        return configured if self.option_days is None else self.option_days

    def hold_confirmed(self, now: datetime, option_days: int, moment: Moment) -> None:
        """Stock held the places; an answer to an order no longer pending changes nothing."""
        if self.status != Status.PENDING:
            return
        self.status = next_status(Status(self.status), Action.HOLD)
        self.option_expires_at = option_deadline(now, self.option_days_of(option_days))
        self._changed("optioned", f"Places réservées ; option jusqu'au {moment(self.option_expires_at)}.", SYSTEM)

    def hold_rejected(self, reason: str) -> None:
        if self.status != Status.PENDING:
            return
        self.status = next_status(Status(self.status), Action.REFUSE)
        self.refusal_reason = reason
        self._changed("refused", f"Commande refusée : {reason}", SYSTEM)

    def archive(self, actor: str, detail: str) -> None:
        self.status = next_status(Status(self.status), Action.ARCHIVE)
        self.option_expires_at = None
        self._changed("archived", detail, actor)

    def give_up(self, actor: str, by_reseller: bool) -> None:
        """The family, or the reseller that sold the order, gives up its option from the front office."""
        give_up(Status(self.status))
        who = "le revendeur" if by_reseller else f"le client {self.buyer.get('name', '')}".rstrip()
        self.archive(actor, f"Option annulée en ligne par {who} : places libérées.")

    def reinstate(self, now: datetime, option_days: int, actor: str, moment: Moment) -> None:
        self.status = next_status(Status(self.status), Action.REINSTATE)
        self.option_expires_at = option_deadline(now, self.option_days_of(option_days))
        self.option_expired_at = None
        self._changed("reinstated", f"Option prolongée jusqu'au {moment(self.option_expires_at)}.", actor)

    def expire(self, now: datetime) -> None:
        self.status = next_status(Status(self.status), Action.EXPIRE)
        self.option_expired_at = now
        self._changed("option_expired", "Délai d'option dépassé : option annulable, places en option dépassée.",
                      SYSTEM)

    def validate(self, detail: str, actor: str) -> None:
        """The first payment validates an option, expired or not."""
        self.status = next_status(Status(self.status), Action.VALIDATE)
        self.option_expires_at = None
        self._changed("validated", detail, actor)

    def cancel(self, by: str, reason: str, detail: str, actor: str, **settlement: object) -> None:
        """A validated order is cancelled by the client or the organiser; the settlement goes on its event."""
        self.status = next_status(Status(self.status), Action.CANCEL)
        self.cancelled_by, self.cancellation_reason = by, reason
        self._changed("cancelled", detail, actor, cancelled_by=by, cancellation_reason=reason, **settlement)

    def announce(self, event: events.Event, new_version: bool = True) -> None:
        """An event about the order besides its lifecycle (a payment, the settled flag); without `new_version`, under
        the version of the change it goes with (the cashback a placed order uses)."""
        self.recorded.append(Recorded("", "", SYSTEM, self.status, lambda order: event, logged=False,
                                      new_version=new_version))

    def redrive_placement(self, waited: str, consents: object) -> None:
        """Stock has not answered the placement, whose event may have been lost: the pending state is announced
        again under a new version, with the consents the first announcement carried for clients."""
        self._changed("placement_redriven", f"Sans réponse du stock depuis {waited} : commande annoncée à nouveau.",
                      SYSTEM, consents=consents)

