"""Use cases of a participant beyond its creation: its changes and its health data (encrypted)."""
from dataclasses import asdict, fields, replace
from typing import Any
from uuid import UUID

from clients.domain.record import ParticipantDetails, ensure_changeable, new_participant
from clients.health import HealthCipher, HealthData
from clients.services import _changed, _reported_as_invalid_request, details_of, get_client, get_participant
from clients.tables import Participant
from shared.db import UnitOfWork


def _details(participant: Participant) -> ParticipantDetails:
    values = {f.name: getattr(participant, f.name) for f in fields(ParticipantDetails)}
    return ParticipantDetails(**{**values, "address_lines": tuple(values["address_lines"])})


async def update_participant(uow: UnitOfWork, client_id: UUID, participant_id: UUID,
                             patch: dict[str, Any]) -> Participant:
    """Apply what really changes: the client's version is bumped and its new state emitted."""
    client = await get_client(uow, client_id, for_update=True)
    participant = await get_participant(uow, client_id, participant_id)
    current = _details(participant)
    with _reported_as_invalid_request():
        revised = new_participant(replace(current, **patch), uow.clock.now().date())
    changes = {name: value for name, value in asdict(revised).items() if value != getattr(current, name)}
    if not changes:
        return participant
    ensure_changeable(details_of(client))
    for name, value in changes.items():
        setattr(participant, name, list(value) if name == "address_lines" else value)
    _changed(uow, client)
    return participant


async def read_health(uow: UnitOfWork, cipher: HealthCipher, client_id: UUID, participant_id: UUID) -> HealthData:
    participant = await get_participant(uow, client_id, participant_id)
    return cipher.open(participant.health_data) if participant.health_data else HealthData()


async def write_health(uow: UnitOfWork, cipher: HealthCipher, client_id: UUID, participant_id: UUID,
                       health: HealthData) -> HealthData:
    """Replace the participant's health data. No event: health data never leaves this service."""
    client = await get_client(uow, client_id, for_update=True)
    ensure_changeable(details_of(client))
    participant = await get_participant(uow, client_id, participant_id)
    tidied = HealthData(**{name: (value or "").strip() or None for name, value in asdict(health).items()})
    participant.health_data = cipher.seal(tidied) if any(asdict(tidied).values()) else None
    return tidied
