"""Reminders of unpaid balances: those sent to a client, and a run now (the timed job runs it too)."""
from uuid import UUID

from fastapi import APIRouter

from billing import reminders
from billing.api.documents import Reader
from billing.api.schemas import ReminderOut
from shared.app import UoW
from shared.auth import Admin, ensure_owner

router = APIRouter(tags=["reminders"])


@router.get("/account-statements/{client_id}/reminders", summary="The reminders sent to a client, oldest first.")
async def client_reminders(client_id: UUID, uow: UoW, reader: Reader) -> list[ReminderOut]:
    ensure_owner(reader, client_id, "account statement", client_id)
    return [ReminderOut.model_validate(r) for r in await reminders.of_client(uow, client_id)]


@router.post("/reminders/run", summary="Send the reminders due now, each level once per debt.")
async def run_reminders(uow: UoW, _: Admin) -> list[ReminderOut]:
    sent = await reminders.run(uow)
    await uow.commit()
    return [ReminderOut.model_validate(r) for r in sent]
