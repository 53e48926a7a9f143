"""The account history: every change to a client or to a row that belongs to it, with who made it.

Recorded once for the whole service from SQLAlchemy's `before_flush`: any object of this service's
tables that is a client or has a `client_id` (participants, and whatever else belongs to a client)
is compared with what was loaded, so no use case has to remember to write history. Values of
sensitive fields (health data, passwords, tokens) are never written, only their names. Changes made
with Core `update()`/`delete()` statements bypass this and must not be used on account tables.
"""
import base64
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from clients.tables import (
    Base,
    BillingDocument,
    Client,
    ClientAlert,
    ErasureRequest,
    HistoryEntry,
    OrderRecord,
    Segment,
)
from shared.auth import FRONT_OFFICE_ROLES
from shared.clock import Clock, SystemClock
from shared.db import UnitOfWork
from shared.pagination import keyset_page


@dataclass(frozen=True)
class Actor:
    sub: str
    role: str
    name: str | None = None
    email: str | None = None


SYSTEM = Actor("system", "system")
CURRENT_ACTOR: ContextVar[Actor] = ContextVar("clients_actor", default=SYSTEM)
"""Who the current request acts for, set by the app's middleware from the bearer token; events act as system."""
NOT_ACCOUNT = (OrderRecord, BillingDocument, ClientAlert, HistoryEntry, ErasureRequest, Segment)
"""Tables with a client id that are not the account itself: projections, alerts, the history, requests."""
DERIVED = {"search_text", "phone_digits", "sort_name", "version", "created_at", "updated_at"}
HEALTH = ("health", "allerg", "treatment", "diet", "medical")
SECRET = ("password", "token", "secret", "hash")
SENSITIVE = HEALTH + SECRET
"""A field whose name contains one of these has its values kept out of the history."""
_clock: list[Clock] = [SystemClock()]


def use_clock(clock: Clock) -> None:
    """The clock the history's times come from: the app's own."""
    _clock[0] = clock


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    token = CURRENT_ACTOR.set(actor)
    try:
        yield
    finally:
        CURRENT_ACTOR.reset(token)


def plain(value: Any) -> Any:
    """A value as JSON holds it; binary (encrypted) values in base64."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _sensitive(name: str) -> bool:
    return any(word in name for word in SENSITIVE)


def _changes(obj: Base, state: str, with_values: bool) -> list[dict[str, Any]]:
    found = []
    for attribute in inspect(obj).mapper.column_attrs:
        name = attribute.key
        if name in DERIVED:
            continue
        history = inspect(obj).attrs[name].history
        if state == "updated":
            if not history.has_changes():
                continue
            old, new = (history.deleted or [None])[0], (history.added or [None])[0]
            if old == new or (isinstance(old, list) and list(old) == list(new or [])):
                continue
        elif state == "created":
            old, new = None, getattr(obj, name)
            if new is None or new == []:
                continue
        else:
            old, new = getattr(obj, name), None
        change: dict[str, Any] = {"field": name}
        if with_values and not _sensitive(name):
            change |= {"old": plain(old), "new": plain(new)}
        found.append(change)
    return found


def _action(obj: Base, state: str, changes: list[dict[str, Any]]) -> str:
    if not isinstance(obj, Client) or state != "updated":
        return state
    changed = {c["field"] for c in changes}
    if "anonymised_at" in changed:
        return "anonymised"
    if "deleted_at" in changed:
        return "deleted" if obj.deleted_at else "restored"
    return state


@event.listens_for(Session, "before_flush")
def _record(session: Session, *_: object) -> None:
    actor, now = CURRENT_ACTOR.get(), _clock[0].now()
    for state, objects in (("created", session.new), ("updated", session.dirty), ("removed", session.deleted)):
        for obj in list(objects):
            if not isinstance(obj, Base) or isinstance(obj, NOT_ACCOUNT):
                continue
            client_id = obj.id if isinstance(obj, Client) else getattr(obj, "client_id", None)
            if client_id is None:
                continue
            if getattr(obj, "id", False) is None:
                obj.id = uuid4()
            anonymising = isinstance(obj, Client) and obj.anonymised_at is not None
            changes = _changes(obj, state, with_values=not anonymising)
            if not changes:
                continue
            session.add(HistoryEntry(
                id=uuid4(), client_id=client_id, at=now, actor=actor.sub, actor_role=actor.role,
                actor_name=actor.name or actor.email, actor_email=actor.email, action=_action(obj, state, changes), entity=obj.__tablename__, entity_id=getattr(obj, "id", None),
                changes=changes,
            ))


async def list_history(uow: UnitOfWork, client_id: UUID, limit: int, cursor: str | None
                       ) -> tuple[list[HistoryEntry], str | None]:
    stmt = select(HistoryEntry).where(HistoryEntry.client_id == client_id)
    return await keyset_page(uow.session, stmt, HistoryEntry.at, HistoryEntry.id, limit, cursor)


async def forget_values(uow: UnitOfWork, client_id: UUID) -> None:
    """Erasure: the history keeps who changed which field when, no longer the values, which were personal, nor the
    names of the front-office accounts that acted on it (the client's own, its guardians')."""
    entries = (await uow.session.execute(
        select(HistoryEntry.id, HistoryEntry.changes).where(HistoryEntry.client_id == client_id))).all()
    for entry_id, changes in entries:
        await uow.session.execute(update(HistoryEntry).where(HistoryEntry.id == entry_id).values(
            changes=[{"field": c["field"]} for c in changes]))
    await uow.session.execute(update(HistoryEntry).where(
        HistoryEntry.client_id == client_id, HistoryEntry.actor_role.in_(FRONT_OFFICE_ROLES)).values(
        actor_name=None, actor_email=None))
