"""Reminders of unpaid balances: the run that sends each level once per debt and stops once the balance is paid.
Runs inside the caller's unit of work; the caller commits."""
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import func, select

from billing import statements
from billing.domain.documents import issue_date
from billing.domain.reminders import debt, level_due
from billing.issuers import settings_of
from billing.tables import Issuer, Reminder
from shared.db import UnitOfWork
from shared.events import ReminderSent
from shared.pagination import keyset_page


async def run(uow: UnitOfWork) -> list[Reminder]:
    """Every client that owes something gets the level its oldest unpaid invoice has reached, once. Nothing is
    sent before the master entity, whose levels they are, is set."""
    chief = await uow.session.scalar(select(Issuer).where(Issuer.is_master))
    if chief is None:
        return []
    levels = settings_of(chief).reminder_levels
    zone = await statements.time_zone(uow)
    today = issue_date(uow.clock.now(), zone)
    sent = []
    for client_id, entries in (await statements.entries(uow, None, zone)).items():
        due = debt(entries, today)
        if due is None:
            continue
        last = await uow.session.scalar(select(func.max(Reminder.level)).where(
            Reminder.client_id == client_id, Reminder.invoice_reference == due.oldest_reference))
        level = level_due(levels, due, today, last)
        if level is None:
            continue
        unpaid = sorted({e.order for e in entries if e.order and e.kind == "invoice" and e.on >= due.oldest_on})
        sent.append(_send(uow, client_id, due.oldest_reference, level, levels[level].kind.value, levels[level].text,
                          due.balance, unpaid, today.isoformat()))
    return sent


def _send(uow: UnitOfWork, client_id: UUID, reference: str, level: int, kind: str, text: str, balance: Decimal,
          orders: list[UUID], day: str) -> Reminder:
    reminder = Reminder(id=uuid4(), client_id=client_id, invoice_reference=reference, level=level, kind=kind,
                        text=text, balance=balance, order_ids=[str(o) for o in orders], sent_at=uow.clock.now())
    uow.session.add(reminder)
    uow.emit(ReminderSent(reminder_id=reminder.id, client_id=client_id, level=level, kind=kind, text=text,
                          balance=balance, invoice_reference=reference, order_ids=orders,
                          statement_path=f"/account-statements/{client_id}/pdf?at={day}", sent_at=reminder.sent_at),
             reminder.id, 1)
    return reminder


async def of_client(uow: UnitOfWork, client_id: UUID, limit: int, cursor: str | None
                    ) -> tuple[list[Reminder], str | None]:
    return await keyset_page(uow.session, select(Reminder).where(Reminder.client_id == client_id), Reminder.sent_at,
                             Reminder.id, limit, cursor)
