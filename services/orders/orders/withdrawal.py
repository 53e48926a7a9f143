"""Withdrawing a modification stock never answered, which would otherwise block every further modification.

Stock may have applied the modification already (its answer lost or late), so the withdrawal announces the
order as it is in a newer `orders.order.modified`: stock, which applies an order's events in version order,
then takes the places back. Stock's late answer to the withdrawn version is ignored; its answer to that return
says where the places are. Back as they were: nothing changes. Refused (the former places were sold meanwhile):
stock still holds the modification, so the order takes it after all and says so, and order and stock agree.
The caller commits.
"""
from uuid import UUID

from sqlalchemy import select

from orders import modification, payments, services
from orders.presentation import Presentation
from orders.tables import Order, OrderModification
from shared import events
from shared.db import UnitOfWork
from shared.problems import DomainError, NotFound

STATUS_LABELS = {"applied": "appliquée", "rejected": "refusée par le stock", "withdrawn": "déjà retirée"}


async def withdraw(uow: UnitOfWork, order_id: UUID, version: int, actor: str) -> tuple[Order, OrderModification]:
    order = await services.get_order(uow, order_id, lock=True)
    row = await uow.session.get(OrderModification, (order_id, version), with_for_update=True)
    if row is None:
        raise NotFound("modification", f"{order_id}/{version}")
    if row.status != "pending":
        raise DomainError("modification_not_pending", f"La modification {version} n'attend plus le stock "
                                                      f"({STATUS_LABELS[row.status]}) : rien à retirer.")
    order.version += 1
    order.updated_at = uow.clock.now()
    row.status, row.returned_by, row.reason = "withdrawn", order.version, f"Retirée par {actor}."
    services._log(uow, order, "modification_withdrawn",
                  f"Modification retirée sans réponse du stock ({row.summary}) ; le stock est prié de s'en tenir à "
                  "la commande telle qu'elle est.", actor)
    uow.emit(services.order_state(events.OrderModified, order), order.id, order.version)
    return order, row


async def return_answered(uow: UnitOfWork, order_id: UUID, order_version: int, refusal: str | None,
                          presentation: Presentation) -> bool:
    """Stock answered the return of a withdrawn modification; False when the answer is not about one."""
    row = await uow.session.scalar(select(OrderModification).where(
        OrderModification.order_id == order_id, OrderModification.returned_by == order_version).with_for_update())
    if row is None:
        return False
    if row.answered_at is not None:
        return True
    order = await services.get_order(uow, order_id, lock=True)
    row.answered_at = uow.clock.now()
    if refusal is None:
        services._log(uow, order, "modification_withdrawal_confirmed",
                      "Le stock a confirmé les places de la commande telle qu'elle est.", services.SYSTEM)
        return True
    row.status, row.reason = "applied", f"{row.reason} Retrait impossible : {refusal}"
    await modification.apply(uow, order, row.proposal)
    order.version += 1
    order.updated_at = uow.clock.now()
    services._log(uow, order, "modified",
                  f"Retrait impossible, le stock garde la modification ({refusal}) : la commande la prend. "
                  f"{row.summary}", services.SYSTEM)
    uow.emit(modification.proposed_state(order, row.proposal), order.id, order.version)
    await payments.refresh_settlement(uow, order, services.SYSTEM)
    await modification.modified_pdf(uow, order, presentation)
    return True
