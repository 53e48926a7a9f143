"""Orders sold through a reseller (seed 000, "Onglet Revendeur").

A reseller is a professional client (its markup on its client record) to which stock assigned departures.
Seed 000 says only assigned departures can be sold to it (back and front office) and that it sells them to
its own clients. So an order goes through a reseller in two ways: the operator names it (`reseller_id`) for
an order whose client is the reseller's customer, or the client is itself a reseller and buys through
itself. Either way stock prices with the reseller's markup, refuses a departure not assigned to it, and takes
the producer's places only when the order is validated (every lifecycle event names the reseller).
"""
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from sqlalchemy import func, select

from orders.domain.lifecycle import Status
from orders.domain.payments import Collection
from orders.domain.resale import owed
from orders.gateways import ClientInfo, Directory, ResellerInfo
from orders.tables import Order, Payment
from shared.db import UnitOfWork
from shared.money import quantize
from shared.pagination import keyset_page
from shared.problems import Problem


async def reseller_of(directory: Directory, client: ClientInfo, named: UUID | None) -> ResellerInfo | None:
    """The reseller the order is sold through: the one named, else the client when it is a reseller, else none.

    A reseller is a professional client (seed 000): stock is asked about the client only when it is one.
    """
    if named is None:
        return await directory.reseller(client.id) if client.kind == "professional" else None
    reseller = await directory.reseller(named)
    if reseller is None:
        raise Problem(422, "unknown_reseller", "Unknown reseller",
                      f"Client {named} is not a reseller: a professional client becomes one when stock assigns it "
                      "departures (POST /resellers/{id}/assignments).")
    return reseller


@dataclass(frozen=True)
class Account:
    """A page of the reseller's sales with what each owes, and the figures over all of them."""

    sales: list[tuple[Order, Decimal]]
    next_cursor: str | None
    count: int
    owed: Decimal


async def account(uow: UnitOfWork, reseller_id: UUID, limit: int, cursor: str | None) -> Account:
    sold = Order.reseller_id == reseller_id
    rows = (await uow.session.execute(
        select(Order.id, Order.status, Order.total, Order.amount_paid, Order.cancellation_fees).where(sold))).all()
    cancelled = [row.id for row in rows if row.status == Status.CANCELLED]
    received = dict((await uow.session.execute(
        select(Payment.order_id, func.sum(Payment.amount))
        .where(Payment.order_id.in_(cancelled), Payment.collection == Collection.RECEIVED)
        .group_by(Payment.order_id))).all()) if cancelled else {}
    owing = {row.id: owed(Status(row.status), row.total, row.amount_paid, row.cancellation_fees,
                          received.get(row.id, Decimal(0))) for row in rows}
    page, next_cursor = await keyset_page(uow.session, select(Order).where(sold), Order.created_at, Order.id, limit,
                                          cursor)
    return Account([(order, owing[order.id]) for order in page], next_cursor, len(rows),
                   quantize(sum(owing.values(), Decimal(0))))
