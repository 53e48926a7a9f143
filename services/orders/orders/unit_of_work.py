"""Saving the orders a unit of work changed, just before it commits: the one place where what the order aggregate
recorded becomes versions, workflow lines and events in the outbox."""
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import QueryContext, Session

from orders.tables import Order, WorkflowEntry
from shared.auth import acting
from shared.db import UnitOfWork

KEPT = "orders.aggregates"
"""The session's orders, held until it ends: the session itself holds a clean row only weakly, and one flushed
before its use case returned would be forgotten with what it recorded."""


def _keep(session: Session, order: Order) -> None:
    session.info.setdefault(KEPT, {})[id(order)] = order


def _loaded(order: Order, context: QueryContext) -> None:
    _keep(context.session, order)


def _attached(session: Session, instance: Any) -> None:
    if isinstance(instance, Order):
        _keep(session, instance)


async def save_orders(uow: UnitOfWork) -> None:
    session = uow.session
    for order in [o for o in session.info.get(KEPT, {}).values() if o.recorded]:
        if order.id is None:  # a new order gets its id
            await session.flush()
        changes = order.take_recorded()
        now = uow.clock.now()
        if any(change.new_version for change in changes):
            order.updated_at = now
        for change in (c for c in changes if c.logged):
            who = acting(change.actor)
            session.add(WorkflowEntry(order_id=order.id, at=now, action=change.action, detail=change.detail,
                                      actor=change.actor, actor_name=who and (who.name or who.email),
                                      actor_email=who and who.email, actor_role=who and who.role,
                                      status=change.status))
        await session.flush()
        for change in changes:
            if change.new_version:
                order.version += 1
            if change.event is not None:
                uow.emit(change.event(order), order.id, order.version)


def install() -> None:
    """Every unit of work of this process saves its orders before committing."""
    if save_orders not in UnitOfWork.before_commit:
        UnitOfWork.before_commit.append(save_orders)
        event.listen(Order, "load", _loaded)
        event.listen(Session, "after_attach", _attached)
