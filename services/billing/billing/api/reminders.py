"""Reminders of unpaid balances: those sent to a client, and a run now (the timed job runs it too)."""
from uuid import UUID

from fastapi import APIRouter

from billing import reminders
from billing.api.documents import Reader
from billing.api.schemas import ReminderOut
from shared.app import UoW
from shared.auth import Admin, ensure_owner
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["reminders"])


@router.get("/account-statements/{client_id}/reminders", summary="The reminders sent to a client, oldest first.")
async def client_reminders(client_id: UUID, uow: UoW, reader: Reader, limit: Limit = 50, cursor: Cursor = None
                           ) -> Page[ReminderOut]:
    ensure_owner(reader, client_id, "account statement", client_id)
    rows, next_cursor = await reminders.of_client(uow, client_id, limit, cursor)
    return Page(items=[ReminderOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/reminders/run", summary="Send the reminders due now, each level once per debt.")
async def run_reminders(uow: UoW, _: Admin) -> list[ReminderOut]:
    sent = await reminders.run(uow)
    await uow.commit()
    return [ReminderOut.model_validate(r) for r in sent]
