"""Use cases of the wallet: credit, debit, balance and ledger. Writes lock the client's row, so that
two debits of one wallet are applied one after the other and never spend the same euro twice."""
from decimal import Decimal
from typing import cast
from uuid import UUID

from sqlalchemy import func, select

from clients.domain.record import ensure_changeable
from clients.domain.wallet import Entry, Source, debit_entry, same_entry
from clients.services import details_of, get_client
from clients.tables import WalletEntry
from shared.db import UnitOfWork
from shared.events import CashbackUsed, Envelope
from shared.logging import log
from shared.money import quantize
from shared.pagination import keyset_page


async def balance(uow: UnitOfWork, client_id: UUID) -> Decimal:
    total = await uow.session.scalar(
        select(func.coalesce(func.sum(WalletEntry.amount), 0)).where(WalletEntry.client_id == client_id))
    return quantize(total)


async def entries(uow: UnitOfWork, client_id: UUID, limit: int, cursor: str | None
                  ) -> tuple[list[WalletEntry], str | None]:
    await get_client(uow, client_id)
    stmt = select(WalletEntry).where(WalletEntry.client_id == client_id)
    return await keyset_page(uow.session, stmt, WalletEntry.created_at, WalletEntry.id, limit, cursor)


async def _recorded(uow: UnitOfWork, client_id: UUID, reference: str) -> WalletEntry | None:
    return await uow.session.scalar(
        select(WalletEntry).where(WalletEntry.client_id == client_id, WalletEntry.reference == reference))


def _entry_of(row: WalletEntry) -> Entry:
    return Entry(cast(Source, row.source), row.amount, row.reference)


async def _record(uow: UnitOfWork, client_id: UUID, entry: Entry, by: str, label: str | None,
                  order_id: UUID | None) -> WalletEntry:
    row = WalletEntry(client_id=client_id, source=entry.source, amount=entry.amount, reference=entry.reference,
                      order_id=order_id, label=label, recorded_by=by, created_at=uow.clock.now())
    uow.session.add(row)
    await uow.session.flush()
    return row


async def credit(uow: UnitOfWork, client_id: UUID, source: Source, amount: Decimal, reference: str,
                 by: str, label: str | None = None) -> WalletEntry:
    """Credit the wallet (cashback, referral); the same reference again returns the first entry."""
    client = await get_client(uow, client_id, for_update=True)
    requested = Entry(source, amount, reference)
    if existing := await _recorded(uow, client_id, reference):
        same_entry(_entry_of(existing), requested)
        return existing
    ensure_changeable(details_of(client))
    return await _record(uow, client_id, requested, by, label, None)


async def debit(uow: UnitOfWork, client_id: UUID, amount: Decimal, reference: str, by: str,
                order_id: UUID | None = None, label: str | None = None) -> WalletEntry:
    """Use wallet money; refused beyond the balance. The same reference again returns the first entry."""
    client = await get_client(uow, client_id, for_update=True)
    if existing := await _recorded(uow, client_id, reference):
        same_entry(_entry_of(existing), Entry("order", -amount, reference))
        return existing
    ensure_changeable(details_of(client))
    entry = debit_entry(await balance(uow, client_id), amount, reference)
    return await _record(uow, client_id, entry, by, label, order_id)


def order_reference(order_id: UUID) -> str:
    return f"order:{order_id}"


async def on_cashback_used(uow: UnitOfWork, used: CashbackUsed, envelope: Envelope) -> None:
    """Debit the wallet once per order for the cashback orders applied.

    Orders checks the balance less its own uses not debited yet, one order of a client at a time, yet
    an operator's debit made meanwhile can still leave too little. The order has then granted the money:
    the debit is recorded all the same (the ledger states what happened) and the overdrawn wallet is
    logged for an operator to settle, rather than the event being refused forever into the dead letters.
    """
    if used.amount <= 0:
        log.info("clients.cashback_nothing_to_debit", order_id=str(used.order_id))
        return
    await get_client(uow, used.client_id, for_update=True)
    reference = order_reference(used.order_id)
    if await _recorded(uow, used.client_id, reference):
        log.info("clients.cashback_already_debited", order_id=str(used.order_id))
        return
    entry = Entry("order", -used.amount, reference)
    row = await _record(uow, used.client_id, entry, f"orders:{envelope.producer}", "Cashback", used.order_id)
    if (now := await balance(uow, used.client_id)) < 0:
        log.warning("clients.wallet_overdrawn", client_id=str(used.client_id), order_id=str(used.order_id),
                    balance=str(now), entry_id=str(row.id))
