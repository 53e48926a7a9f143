"""HTTP routes of a client's legal guardians and contacts."""
from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from clients import people_services as people
from clients.access import FamilyReads, HolderWrites
from clients.api import AddressLines, City, Civility, Country, Email, PersonName, Phone, PostalCode
from clients.domain.people import ContactDetails, GuardianDetails
from clients.record_models import ShortText, not_null
from clients.tables import ClientContact, LegalGuardian
from shared.app import UoW
from shared.auth import BackOffice, Staff, guardian_scope
from shared.idempotency import IdempotencyKey, once
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["legal guardians and contacts"])


class GuardianIn(BaseModel):
    """A legal guardian: the same form as a client's. Staff give it a front-office account at identity
    (`POST /accounts`), when the client's type enables legal-guardian accounts."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    last_name: PersonName
    civility: Civility | None = None
    first_name: PersonName | None = None
    email: Email | None = None
    mobile: Phone | None = None
    landline: Phone | None = None
    work_phone: Phone | None = None
    address_lines: AddressLines = ()
    postal_code: PostalCode | None = None
    city: City | None = None
    country: Country = "FR"
    birth_date: date | None = None


class GuardianPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    last_name: PersonName | None = None
    civility: Civility | None = None
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

    _required = field_validator("last_name", "address_lines", "country")(not_null)


class GuardianOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    client_id: UUID
    last_name: str
    civility: str | None
    first_name: str | None
    email: str | None
    mobile: str | None
    landline: str | None
    work_phone: str | None
    address_lines: list[str]
    postal_code: str | None
    city: str | None
    country: str
    birth_date: date | None
    created_at: datetime
    updated_at: datetime


class ContactIn(BaseModel):
    """Someone at the client; copied on transactional e-mails unless `copy_on_emails` is false."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    last_name: PersonName
    civility: Civility | None = None
    first_name: PersonName | None = None
    role: ShortText | None = Field(None, examples=["Comptabilité"])
    email: Email | None = None
    phone: Phone | None = None
    copy_on_emails: bool = True


class ContactPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    last_name: PersonName | None = None
    civility: Civility | None = None
    first_name: PersonName | None = None
    role: ShortText | None = None
    email: Email | None = None
    phone: Phone | None = None
    copy_on_emails: bool | None = None

    _required = field_validator("last_name", "copy_on_emails")(not_null)


class ContactOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    client_id: UUID
    last_name: str
    civility: str | None
    first_name: str | None
    role: str | None
    email: str | None
    phone: str | None
    copy_on_emails: bool
    created_at: datetime
    updated_at: datetime


@router.post("/clients/{client_id}/legal-guardians", status_code=201, response_model=GuardianOut,
             summary="Add a legal guardian to a client.")
async def add_guardian(client_id: UUID, body: GuardianIn, uow: UoW, _: HolderWrites, key: IdempotencyKey = None):
    async def add() -> GuardianOut:
        guardian = await people.add_person(uow, client_id, GuardianDetails(**body.model_dump()))
        return GuardianOut.model_validate(guardian)

    return await once(uow, key, f"clients:add_guardian:{client_id}", add)


@router.get("/clients/{client_id}/legal-guardians",
            summary="A client's legal guardians (to a legal guardian's account, its own record).")
async def list_guardians(client_id: UUID, uow: UoW, who: FamilyReads, limit: Limit = 50,
                         cursor: Cursor = None) -> Page[GuardianOut]:
    rows, next_cursor = await people.list_people(uow, LegalGuardian, client_id, limit, cursor, guardian_scope(who))
    return Page(items=[GuardianOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/clients/{client_id}/legal-guardians/{guardian_id}", summary="One legal guardian of a client.")
async def get_guardian(client_id: UUID, guardian_id: UUID, uow: UoW, who: FamilyReads) -> GuardianOut:
    guardian = await people.get_person(uow, LegalGuardian, client_id, guardian_id, guardian_scope(who))
    return GuardianOut.model_validate(guardian)


@router.patch("/clients/{client_id}/legal-guardians/{guardian_id}", summary="Change a legal guardian.")
async def update_guardian(client_id: UUID, guardian_id: UUID, body: GuardianPatch, uow: UoW, _: HolderWrites
                          ) -> GuardianOut:
    guardian = await people.update_person(uow, LegalGuardian, client_id, guardian_id,
                                          body.model_dump(exclude_unset=True))
    await uow.commit()
    return GuardianOut.model_validate(guardian)


@router.delete("/clients/{client_id}/legal-guardians/{guardian_id}", status_code=204,
               summary="Remove a legal guardian from a client.")
async def remove_guardian(client_id: UUID, guardian_id: UUID, uow: UoW, _: HolderWrites) -> Response:
    await people.remove_person(uow, LegalGuardian, client_id, guardian_id)
    await uow.commit()
    return Response(status_code=204)


@router.post("/clients/{client_id}/contacts", status_code=201, response_model=ContactOut,
             summary="Add a contact to a client.")
async def add_contact(client_id: UUID, body: ContactIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def add() -> ContactOut:
        return ContactOut.model_validate(await people.add_person(uow, client_id, ContactDetails(**body.model_dump())))

    return await once(uow, key, f"clients:add_contact:{client_id}", add)


@router.get("/clients/{client_id}/contacts", summary="A client's contacts.")
async def list_contacts(client_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50,
                        cursor: Cursor = None) -> Page[ContactOut]:
    rows, next_cursor = await people.list_people(uow, ClientContact, client_id, limit, cursor)
    return Page(items=[ContactOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.patch("/clients/{client_id}/contacts/{contact_id}", summary="Change a contact.")
async def update_contact(client_id: UUID, contact_id: UUID, body: ContactPatch, uow: UoW, _: Staff) -> ContactOut:
    contact = await people.update_person(uow, ClientContact, client_id, contact_id,
                                         body.model_dump(exclude_unset=True))
    await uow.commit()
    return ContactOut.model_validate(contact)


@router.delete("/clients/{client_id}/contacts/{contact_id}", status_code=204, summary="Remove a contact.")
async def remove_contact(client_id: UUID, contact_id: UUID, uow: UoW, _: Staff) -> Response:
    await people.remove_person(uow, ClientContact, client_id, contact_id)
    await uow.commit()
    return Response(status_code=204)
