"""Clients use cases. Each runs inside the caller's unit of work; the caller commits."""
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, fields
from typing import Any
from uuid import UUID

from sqlalchemy import or_, select

from clients.domain.record import (
    Details,
    InvalidClient,
    Kind,
    ParticipantDetails,
    display_name,
    ensure_changeable,
    new_client,
    new_participant,
    revise,
    tidy,
)
from clients.tables import Client, Participant
from shared.db import UnitOfWork
from shared.events import ClientCreated, ClientState, ClientUpdated, ParticipantSnapshot
from shared.pagination import keyset_page
from shared.problems import NotFound, Problem

SEARCHED = (Client.last_name, Client.first_name, Client.company_name, Client.email)


def details_of(client: Client) -> Details:
    values = {f.name: getattr(client, f.name) for f in fields(Details)}
    return Details(**{**values, "address_lines": tuple(client.address_lines)})


@contextmanager
def _reported_as_invalid_request() -> Iterator[None]:
    """A broken record rule is bad input: a 422 naming the fields, like the request validation's."""
    try:
        yield
    except InvalidClient as error:
        errors = [{"field": f"body.{e.field}", "message": e.message, "type": "value_error"} for e in error.errors]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        raise Problem(422, "invalid_request", "Invalid request", detail, errors=errors) from error


async def create_client(uow: UnitOfWork, details: Details) -> Client:
    with _reported_as_invalid_request():
        record = new_client(details)
    now = uow.clock.now()
    client = Client(**{**asdict(record), "address_lines": list(record.address_lines)},
                    version=1, created_at=now, updated_at=now, participants=[])
    uow.session.add(client)
    await uow.session.flush()
    _emit(uow, ClientCreated, client)
    return client


async def get_client(uow: UnitOfWork, client_id: UUID, for_update: bool = False) -> Client:
    client = await uow.session.get(Client, client_id, with_for_update=for_update)
    if client is None:
        raise NotFound("client", client_id)
    return client


async def list_clients(
    uow: UnitOfWork, kind: Kind | None, q: str | None, limit: int, cursor: str | None
) -> tuple[list[Client], str | None]:
    """Clients in creation order; every word of `q` must appear in a name, the company or the e-mail."""
    stmt = select(Client)
    if kind:
        stmt = stmt.where(Client.kind == kind)
    for word in (tidy(q) or "").split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(*(column.ilike(pattern, escape="\\") for column in SEARCHED)))
    return await keyset_page(uow.session, stmt, Client.created_at, Client.id, limit, cursor)


async def update_client(uow: UnitOfWork, client_id: UUID, patch: dict[str, Any]) -> Client:
    """Apply the fields that really change; a patch that changes nothing bumps nothing and emits nothing."""
    client = await get_client(uow, client_id, for_update=True)
    with _reported_as_invalid_request():
        changes = revise(details_of(client), patch)
    if not changes:
        return client
    for name, value in changes.items():
        setattr(client, name, list(value) if name == "address_lines" else value)
    _changed(uow, client)
    return client


async def add_participant(uow: UnitOfWork, client_id: UUID, details: ParticipantDetails) -> Participant:
    client = await get_client(uow, client_id, for_update=True)
    ensure_changeable(details_of(client))
    with _reported_as_invalid_request():
        record = new_participant(details, uow.clock.now().date())
    participant = Participant(client_id=client.id, **asdict(record), created_at=uow.clock.now())
    client.participants.append(participant)
    await uow.session.flush()
    _changed(uow, client)
    return participant


async def get_participant(uow: UnitOfWork, client_id: UUID, participant_id: UUID) -> Participant:
    participant = await uow.session.get(Participant, participant_id)
    if participant is None or participant.client_id != client_id:
        raise NotFound("participant", participant_id)
    return participant


async def list_participants(
    uow: UnitOfWork, client_id: UUID, limit: int, cursor: str | None
) -> tuple[list[Participant], str | None]:
    await get_client(uow, client_id)
    stmt = select(Participant).where(Participant.client_id == client_id)
    return await keyset_page(uow.session, stmt, Participant.created_at, Participant.id, limit, cursor)


def _changed(uow: UnitOfWork, client: Client) -> None:
    client.version += 1
    client.updated_at = uow.clock.now()
    _emit(uow, ClientUpdated, client)


def _emit(uow: UnitOfWork, event: type[ClientState], client: Client) -> None:
    """The client's whole new state, without health data."""
    uow.emit(
        event(
            client_id=client.id, kind=client.kind, display_name=display_name(details_of(client)),
            civility=client.civility, last_name=client.last_name, first_name=client.first_name,
            company_name=client.company_name, email=client.email, mobile=client.mobile, landline=client.landline,
            address_lines=client.address_lines, postal_code=client.postal_code,
            city=client.city, country=client.country, recipient_preference=client.recipient_preference,
            disputed=client.disputed, blocked=client.blocked,
            participants=[
                ParticipantSnapshot(participant_id=p.id, last_name=p.last_name, first_name=p.first_name,
                                    birth_date=p.birth_date)
                for p in client.participants
            ],
        ),
        client.id,
        client.version,
    )
