"""Use cases of a participant beyond its creation: its changes and its health data (encrypted)."""
from dataclasses import asdict, fields, replace
from typing import Any
from uuid import UUID

from clients.domain.record import ParticipantDetails, ensure_changeable, new_participant
from clients.health import HealthCipher, HealthData
from clients.services import (
    _changed,
    _reported_as_invalid_request,
    details_of,
    get_client,
    get_participant,
    set_guardians,
)
from clients.tables import Participant
from shared.db import UnitOfWork


def _details(participant: Participant) -> ParticipantDetails:
    values = {f.name: getattr(participant, f.name) for f in fields(ParticipantDetails)}
    return ParticipantDetails(**{**values, "address_lines": tuple(values["address_lines"])})


async def update_participant(uow: UnitOfWork, client_id: UUID, participant_id: UUID,
                             patch: dict[str, Any]) -> Participant:
    """Apply what really changes, its legal guardians included: the client's version is bumped and its new state
    emitted."""
    client = await get_client(uow, client_id, for_update=True)
    participant = await get_participant(uow, client_id, participant_id)
    guardian_ids = patch.pop("legal_guardian_ids", None)
    current = _details(participant)
    with _reported_as_invalid_request():
        revised = new_participant(replace(current, **patch), uow.clock.now().date())
    changes = {name: value for name, value in asdict(revised).items() if value != getattr(current, name)}
    if not changes and (guardian_ids is None or set(guardian_ids) == set(participant.legal_guardian_ids)):
        return participant
    ensure_changeable(details_of(client))
    for name, value in changes.items():
        setattr(participant, name, list(value) if name == "address_lines" else value)
    if guardian_ids is not None:
        set_guardians(client, participant, guardian_ids)
    _changed(uow, client)
    return participant


async def read_health(uow: UnitOfWork, cipher: HealthCipher, client_id: UUID, participant_id: UUID,
                      guardian_id: UUID | None = None) -> HealthData:
    participant = await get_participant(uow, client_id, participant_id, guardian_id)
    return cipher.open(participant.health_data) if participant.health_data else HealthData()


async def write_health(uow: UnitOfWork, cipher: HealthCipher, client_id: UUID, participant_id: UUID,
                       health: HealthData, guardian_id: UUID | None = None) -> HealthData:
    """Replace the participant's health data. No event: health data never leaves this service."""
    client = await get_client(uow, client_id, for_update=True)
    participant = await get_participant(uow, client_id, participant_id, guardian_id)
    ensure_changeable(details_of(client))
    tidied = HealthData(**{name: (value or "").strip() or None for name, value in asdict(health).items()})
    participant.health_data = cipher.seal(tidied) if any(asdict(tidied).values()) else None
    return tidied
