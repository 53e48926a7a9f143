"""Cancelling a validated order, always by an operator, for the client or the organiser.

The order keeps the fees and the refund due; the cancellation event carries them with the buyer, so that
billing credits the current invoice and issues the cancellation invoice for the fees in one go.
"""
from typing import Literal
from uuid import UUID

from orders import payments, services
from orders.domain import cancellation
from orders.domain.dates import paris_date
from orders.domain.lifecycle import Action, Status, next_status
from orders.gateways import Directory
from orders.tables import Order
from shared import events
from shared.db import UnitOfWork
from shared.problems import Problem

Party = Literal["client", "organiser"]


async def settlement_for(uow: UnitOfWork, directory: Directory, order: Order, by: Party
                         ) -> cancellation.Settlement:
    received = (await payments.summary_of(uow, order)).received
    days_left = cancellation.days_before_departure(paris_date(uow.clock.now()), order.start_date)
    if by == "organiser":
        return cancellation.by_organiser(received, days_left)
    terms = await directory.stay_terms(order.departure_id)
    if terms is None:
        raise Problem(503, "dependency_unavailable", "Service unavailable",
                      f"Stock does not know departure {order.departure_id}: the cancellation fees cannot be computed.")
    return cancellation.by_client(order.total, received, list(terms.cancellation_fees), days_left)


async def quote(uow: UnitOfWork, directory: Directory, order_id: UUID, by: Party) -> cancellation.Settlement:
    """What cancelling today would cost, without cancelling."""
    order = await services.get_order(uow, order_id)
    next_status(Status(order.status), Action.CANCEL)
    return await settlement_for(uow, directory, order, by)


async def cancel(uow: UnitOfWork, directory: Directory, order_id: UUID, by: Party, reason: str, actor: str
                 ) -> tuple[Order, cancellation.Settlement]:
    order = await services.get_order(uow, order_id, lock=True)
    next_status(Status(order.status), Action.CANCEL)  # refused before anything is asked
    settlement = await settlement_for(uow, directory, order, by)
    order.cancellation_fees, order.refund_due = settlement.fees, settlement.refund_due
    who = "du client" if by == "client" else "de l'organisateur"
    money = (f"frais {settlement.fees} € ({settlement.fee_percent} % à {settlement.days_before_departure} jour(s) "
             f"du départ), remboursement dû {settlement.refund_due} €")
    if settlement.still_due:
        money += f", reste dû par le client {settlement.still_due} €"
    order.cancel(
        by, reason, f"Annulation {who} : {reason} ; {money}.", actor,
        days_before_departure=settlement.days_before_departure, fee_percent=settlement.fee_percent,
        cancellation_fees=settlement.fees, amount_received=settlement.received, refund_due=settlement.refund_due,
        buyer=events.Buyer.model_validate(order.buyer),
    )
    return order, settlement
