"""A client's GDPR erasure on orders' side, when clients announces it anonymised.

Its orders and quotes keep their references, dates, amounts, statuses and payments: the accounting trail that
billing's invoices (which keep their own buyer, as the law requires) point to. They lose every personal detail
orders copied: the buyer's name, address and e-mail; the participants' names (in the lines' labels too), birth
dates and guardians, in quotes and modifications as well; the client's own words; the uploaded documents; the
order PDFs; the reasons of absences; the follow-up notes and the notes on payments; the names of the client's own
accounts (its guardians', its own) in the workflow log. Who paid, as written on
the cheque or transfer, stays with the payment: it is the accounting trail too.
"""
from typing import Any

from sqlalchemy import delete, func, select, update

from orders import disputes
from orders.tables import (
    Attendance,
    FollowUpNote,
    Order,
    OrderDocument,
    OrderLine,
    OrderModification,
    OrderParticipant,
    OrderPdf,
    Payment,
    Quote,
    WorkflowEntry,
)
from shared import events
from shared.auth import FRONT_OFFICE_ROLES
from shared.db import UnitOfWork
from shared.events import Envelope


async def on_client_anonymised(uow: UnitOfWork, client: events.ClientAnonymised, envelope: Envelope) -> None:
    """The anonymised state's name stands for the buyer and for each participant's names. Applied even after a
    later event: an erasure is never undone."""
    await disputes.on_client_changed(uow, client, envelope)
    anonymous = client.last_name or client.company_name or ""
    orders = select(Order.id).where(Order.client_id == client.client_id).scalar_subquery()
    buyer = events.Buyer(client_id=client.client_id, name=anonymous, country=client.country)
    await uow.session.execute(update(Order).where(Order.client_id == client.client_id).values(
        buyer=buyer.model_dump(mode="json"), additional_information=None))
    named = OrderParticipant.first_name + " " + OrderParticipant.last_name
    await uow.session.execute(update(OrderLine).where(
        OrderLine.order_id.in_(orders), OrderParticipant.order_id == OrderLine.order_id,
        OrderParticipant.participant_id == OrderLine.participant_id,
    ).values(label=func.replace(OrderLine.label, named, f"{anonymous} {anonymous}")))
    await uow.session.execute(update(OrderParticipant).where(OrderParticipant.order_id.in_(orders)).values(
        last_name=anonymous, first_name=anonymous, birth_date=None, legal_guardian_id=None,
        legal_guardian_name=None))
    await uow.session.execute(update(Attendance).where(Attendance.order_id.in_(orders)).values(reason=None))
    await uow.session.execute(update(Payment).where(Payment.order_id.in_(orders)).values(note=""))
    await uow.session.execute(update(WorkflowEntry).where(
        WorkflowEntry.order_id.in_(orders), WorkflowEntry.actor_role.in_(FRONT_OFFICE_ROLES)).values(
        actor_name=None, actor_email=None))
    for table in (OrderDocument, OrderPdf, FollowUpNote):
        await uow.session.execute(delete(table).where(table.order_id.in_(orders)))
    for quote in await uow.session.scalars(select(Quote).where(Quote.client_id == client.client_id)):
        quote.participants, quote.lines = _anonymised(quote.participants, quote.lines, anonymous)
    for change in await uow.session.scalars(select(OrderModification).where(OrderModification.order_id.in_(orders))):
        participants, rest = _anonymised(change.proposal["participants"], change.proposal, anonymous)
        change.proposal = {**rest, "participants": participants}


def _anonymised(people: list[dict[str, Any]], document: Any, anonymous: str) -> tuple[list[dict[str, Any]], Any]:
    """Participants as quotes and modification proposals keep them in JSON, without who they are, and the rest of
    the document without their names (a line's label names its participant)."""
    names = {f"{person['first_name']} {person['last_name']}" for person in people}
    people = [{**person, "last_name": anonymous, "first_name": anonymous, "legal_guardian_id": None,
               "legal_guardian_name": None, **({"birth_date": None} if "birth_date" in person else {})}
              for person in people]
    return people, _without(document, names, f"{anonymous} {anonymous}")


def _without(value: Any, names: set[str], replacement: str) -> Any:
    if isinstance(value, str):
        for name in names:
            value = value.replace(name, replacement)
        return value
    if isinstance(value, list):
        return [_without(item, names, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _without(item, names, replacement) for key, item in value.items()}
    return value


HANDLERS = {events.ClientAnonymised: on_client_anonymised}
