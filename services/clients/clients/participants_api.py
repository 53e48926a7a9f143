"""HTTP routes of a participant's changes and of its health form: the participant's own family (the account holder,
the guardians answering for it) or staff with the health_data permission."""
from dataclasses import asdict
from datetime import date
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, field_validator

from clients import participant_services
from clients.access import HolderWrites
from clients.api import NO_NUL, AddressLines, City, Country, GuardianIds, ParticipantOut, PersonName, PostalCode
from clients.domain.record import Sex
from clients.health import Cipher, HealthAccess, HealthData
from clients.record_models import not_null
from shared.app import UoW
from shared.auth import guardian_scope

router = APIRouter(tags=["participants"])
HealthText = Field(None, max_length=2000, pattern=NO_NUL)


class ParticipantPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    last_name: PersonName | None = None
    first_name: PersonName | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    address_lines: AddressLines | None = None
    postal_code: PostalCode | None = None
    city: City | None = None
    country: Country | None = None
    legal_guardian_ids: GuardianIds | None = None

    _required = field_validator("last_name", "first_name", "address_lines", "country", "legal_guardian_ids")(not_null)


class Health(BaseModel):
    """The participant's health form (fiche sanitaire), stored encrypted."""

    model_config = ConfigDict(extra="forbid")
    allergies: str | None = HealthText
    treatments: str | None = HealthText
    diet: str | None = Field(None, max_length=2000, pattern=NO_NUL, examples=["Sans porc"])
    medical_notes: str | None = HealthText


@router.patch("/clients/{client_id}/participants/{participant_id}", summary="Change a participant.")
async def update_participant(client_id: UUID, participant_id: UUID, body: ParticipantPatch, uow: UoW, _: HolderWrites
                             ) -> ParticipantOut:
    participant = await participant_services.update_participant(uow, client_id, participant_id,
                                                                body.model_dump(exclude_unset=True))
    await uow.commit()
    return ParticipantOut.of(participant, uow.clock.now().date())


@router.get("/clients/{client_id}/participants/{participant_id}/health",
            summary="A participant's health form: its family's, or staff's with the health_data permission.")
async def read_health(client_id: UUID, participant_id: UUID, uow: UoW, who: HealthAccess, cipher: Cipher) -> Health:
    health = await participant_services.read_health(uow, cipher, client_id, participant_id, guardian_scope(who))
    return Health(**asdict(health))


@router.put("/clients/{client_id}/participants/{participant_id}/health",
            summary="Replace a participant's health form (its family, or staff with the health_data permission); "
                    "stored encrypted.")
async def write_health(client_id: UUID, participant_id: UUID, body: Health, uow: UoW, who: HealthAccess,
                       cipher: Cipher) -> Health:
    health = await participant_services.write_health(uow, cipher, client_id, participant_id,
                                                     HealthData(**body.model_dump()), guardian_scope(who))
    await uow.commit()
    return Health(**asdict(health))
