"""HTTP routes of a client's profile: the part of its record its own front-office account reads and changes (names,
contact details, address, who receives the e-mails). Its type, flags, category, discounts, codes, billing terms and
the operators' notes stay the back office's (`/clients/{id}`)."""
from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, field_validator

from clients import services
from clients.access import HolderReads, HolderWrites
from clients.api import AddressLines, City, Civility, Country, Email, PersonName, Phone, PostalCode
from clients.domain.record import Kind, display_name
from clients.record_models import not_null
from clients.tables import Client
from shared.app import UoW
from shared.events import RecipientPreference

router = APIRouter(tags=["family portal"])


class ProfilePatch(BaseModel):
    """The fields to change; a field sent as null is cleared, a field left out is kept. Anything else is refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    civility: Civility | None = None
    last_name: PersonName | None = None
    first_name: PersonName | None = None
    email: Email | None = None
    mobile: Phone | None = None
    landline: Phone | None = None
    work_phone: Phone | None = None
    address_lines: AddressLines | None = None
    postal_code: PostalCode | None = None
    city: City | None = None
    country: Country | None = None
    birth_date: date | None = None
    recipient_preference: RecipientPreference | None = None

    _required = field_validator("address_lines", "country", "recipient_preference")(not_null)


class ProfileOut(BaseModel):
    id: UUID
    kind: Kind
    client_code: str
    display_name: str
    civility: str | None
    last_name: str | None
    first_name: str | None
    company_name: str | None
    email: str | None
    mobile: str | None
    landline: str | None
    work_phone: str | None
    address_lines: list[str]
    postal_code: str | None
    city: str | None
    country: str
    birth_date: date | None
    recipient_preference: RecipientPreference
    welcome_message: str | None = Field(description="The staff's message to show the client at each login.")
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, client: Client) -> "ProfileOut":
        stored = {name: getattr(client, name) for name in cls.model_fields.keys() - {"display_name"}}
        return cls(**stored, display_name=display_name(services.details_of(client)))


@router.get("/clients/{client_id}/profile", summary="The client's profile, as its own account sees it.")
async def read_profile(client_id: UUID, uow: UoW, _: HolderReads) -> ProfileOut:
    return ProfileOut.of(await services.get_client(uow, client_id))


@router.patch("/clients/{client_id}/profile", summary="Change the client's names, contact details or address.")
async def update_profile(client_id: UUID, body: ProfilePatch, uow: UoW, _: HolderWrites) -> ProfileOut:
    client = await services.update_client(uow, client_id, body.model_dump(exclude_unset=True))
    await uow.commit()
    return ProfileOut.of(client)
