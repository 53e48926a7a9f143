"""Cashback available to a new order: the wallet's balance less this service's cashback uses that clients has not
debited yet (it debits on `orders.cashback.used`, later). Counted under a per-client lock held until the order's
transaction ends, so two orders of one client placed at once cannot both spend the same euros."""
import zlib
from decimal import Decimal
from uuid import UUID

from sqlalchemy import func, select, text

from orders.gateways import Directory
from orders.tables import Order, OrderLine
from shared.db import UnitOfWork


async def available(uow: UnitOfWork, directory: Directory, client_id: UUID) -> Decimal:
    await uow.session.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                              {"k": zlib.crc32(f"cashback:{client_id}".encode())})
    wallet = await directory.wallet(client_id)
    uses = await uow.session.execute(
        select(Order.id, func.sum(-OrderLine.amount)).join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.client_id == client_id, OrderLine.kind == "cashback").group_by(Order.id))
    pending = sum((amount for order_id, amount in uses if order_id not in wallet.debited_orders), Decimal("0.00"))
    return wallet.balance - pending
