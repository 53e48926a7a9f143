"""HTTP routes of the clients service: parse, authorise, call one use case, commit."""
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, field_validator

from clients import services
from clients.domain.record import Details, Kind, ParticipantDetails, Sex, age_on, display_name, vat_exempt
from clients.domain.search import PhoneMode, tokens
from clients.record_models import NO_NUL, Phone, RecordIn, RecordOut, RecordPatch, not_null
from clients.tables import Client, Participant
from shared.app import UoW
from clients.access import FamilyReads, HolderWrites
from shared.auth import BackOffice, Staff, guardian_scope
from shared.events import RecipientPreference
from shared.idempotency import IdempotencyKey, once
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["clients"])

"""PostgreSQL text cannot hold a NUL character: refused as bad input rather than failing in the database."""
Civility = Annotated[str, Field(max_length=20, pattern=NO_NUL, examples=["Mme"])]
PersonName = Annotated[str, Field(max_length=100, pattern=NO_NUL, examples=["Martin"])]
CompanyName = Annotated[str, Field(max_length=200, pattern=NO_NUL, examples=["Mairie de Lyon"])]
AddressLines = Annotated[tuple[Annotated[str, Field(max_length=200, pattern=NO_NUL)], ...],
                         Field(max_length=4, examples=[["12 rue des Lilas"]])]
PostalCode = Annotated[str, Field(max_length=20, pattern=NO_NUL, examples=["69003"])]
City = Annotated[str, Field(max_length=100, pattern=NO_NUL, examples=["Lyon"])]
Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2 code.", examples=["FR"])]
Email = Annotated[EmailStr, Field(max_length=254)]
InactiveMessage = Annotated[str, Field(max_length=500, pattern=NO_NUL, description="Shown to the person when an "
                                       "inactive account tries to log in to the front office.",
                                       examples=["Votre compte est suspendu : contactez le service client."])]
ClientTypeId = Annotated[UUID, Field(description="A client type of the client's kind.")]
GuardianIds = Annotated[list[UUID], Field(max_length=20, description="The client's legal guardians who answer for "
                                          "the participant: their front-office accounts see it.")]


def _searchable(text: str | None) -> str | None:
    """Words made of punctuation alone (`%%`, `'`) would be no search at all, which lists every client: refused."""
    if text and text.strip() and not tokens(text):
        raise ValueError("the query is empty once its punctuation is removed: type letters or digits")
    return text


SEARCHABLE = ("Punctuation alone (`%`, `_`, quotes) is no word: such a query is refused (422) rather than taken "
              "for no query.")


class ClientIn(RecordIn):
    """A new client. Blank texts count as absent; the kind decides which name is required."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    kind: Kind
    civility: Civility | None = None
    last_name: PersonName | None = None
    first_name: PersonName | None = None
    company_name: CompanyName | None = None
    email: Email | None = None
    mobile: Phone | None = None
    landline: Phone | None = None
    address_lines: AddressLines = ()
    postal_code: PostalCode | None = None
    city: City | None = None
    country: Country = "FR"
    recipient_preference: RecipientPreference = "client"
    disputed: bool = False
    blocked: bool = False
    client_type_id: ClientTypeId | None = None
    dormant: bool = Field(False, description="Hidden from searches unless they include dormant clients.")
    active: bool = Field(True, description="An inactive account cannot log in to the front office.")
    inactive_message: InactiveMessage | None = None


class ClientPatch(RecordPatch):
    """The fields to change; a field sent as null is cleared, a field left out is kept."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    kind: Kind | None = None
    civility: Civility | None = None
    last_name: PersonName | None = None
    first_name: PersonName | None = None
    company_name: CompanyName | None = None
    email: Email | None = None
    mobile: Phone | None = None
    landline: Phone | None = None
    address_lines: AddressLines | None = None
    postal_code: PostalCode | None = None
    city: City | None = None
    country: Country | None = None
    recipient_preference: RecipientPreference | None = None
    disputed: bool | None = None
    blocked: bool | None = None
    client_type_id: ClientTypeId | None = None
    dormant: bool | None = None
    active: bool | None = None
    inactive_message: InactiveMessage | None = None

    _required = field_validator("kind", "address_lines", "country", "recipient_preference", "disputed", "blocked",
                                "dormant", "active")(not_null)


class ParticipantIn(BaseModel):
    """A participant; its health form is written apart (`/health`)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    last_name: PersonName
    first_name: Annotated[str, Field(max_length=100, pattern=NO_NUL, examples=["Léa"])]
    birth_date: date | None = Field(None, examples=["2015-04-23"])
    sex: Sex | None = None
    address_lines: AddressLines = ()
    postal_code: PostalCode | None = None
    city: City | None = None
    country: Country = "FR"
    legal_guardian_ids: GuardianIds = []


class ParticipantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    last_name: str
    first_name: str
    birth_date: date | None
    sex: Sex | None
    address_lines: list[str]
    postal_code: str | None
    city: str | None
    country: str
    legal_guardian_ids: list[UUID]
    age: int | None = Field(None, description="Whole years today; null without a birth date.")
    created_at: datetime

    @classmethod
    def of(cls, participant: Participant, today: date | None) -> "ParticipantOut":
        age = age_on(participant.birth_date, today) if participant.birth_date and today else None
        return cls.model_validate(participant).model_copy(update={"age": age})


class ClientOut(RecordOut):
    """The client record as the back office and the other services read it."""

    id: UUID
    kind: Kind
    civility: str | None
    last_name: str | None
    first_name: str | None
    company_name: str | None
    display_name: str
    email: str | None
    mobile: str | None
    landline: str | None
    address_lines: list[str]
    postal_code: str | None
    city: str | None
    country: str
    recipient_preference: RecipientPreference
    disputed: bool
    blocked: bool
    client_type_id: UUID | None
    dormant: bool
    active: bool
    inactive_message: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    participants: list[ParticipantOut]

    @classmethod
    def of(cls, client: Client, today: date | None = None) -> "ClientOut":
        details = services.details_of(client)
        return cls(
            **{**asdict(details), "address_lines": list(details.address_lines)},
            id=client.id, display_name=display_name(details), version=client.version,
            vat_exempt=vat_exempt(details), referrer_id=client.referrer_id,
            created_at=client.created_at, updated_at=client.updated_at,
            participants=[ParticipantOut.of(p, today) for p in client.participants],
        )


@router.post("/clients", status_code=201, response_model=ClientOut, summary="Create a client.")
async def create_client(body: ClientIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def create() -> ClientOut:
        client = await services.create_client(uow, Details(**body.model_dump()))
        return ClientOut.of(client, uow.clock.now().date())

    return await once(uow, key, "clients:create_client", create)


@router.get("/clients", summary="Search clients: words in any order, phones in any format, filters, sort.")
async def list_clients(
    uow: UoW,
    _: BackOffice,
    q: Annotated[str | None, Query(
        max_length=100, pattern=NO_NUL, examples=["dupont 69003"],
        description="Words in any order, each the start of a name, the company, the e-mail, the address, the "
                    "postal code, the city, a phone or the id; accents and case ignored; punctuation separates "
                    "words. A phone is found whatever its format (0556575859, 05.56.57.58.59, +33 5 56 57 58 59). "
                    + SEARCHABLE), AfterValidator(_searchable)] = None,
    phone_mode: Annotated[PhoneMode, Query(description="Whether a typed number starts or is found anywhere "
                                                       "in a phone number.")] = "starts_with",
    kind: Annotated[Kind | None, Query(description="Only clients of this kind.")] = None,
    client_type_id: Annotated[UUID | None, Query(description="Only clients of this type.")] = None,
    disputed: Annotated[bool | None, Query(description="Only disputed clients, or only the others.")] = None,
    blocked: Annotated[bool | None, Query(description="Only blocked clients, or only the others.")] = None,
    include_dormant: Annotated[bool, Query(description="Also the dormant clients, hidden otherwise.")] = False,
    keywords: Annotated[str | None, Query(max_length=100, pattern=NO_NUL, examples=["allergie piscine"],
                                          description="Words that must start words of the notes (info). "
                                                      + SEARCHABLE), AfterValidator(_searchable)] = None,
    category: Annotated[str | None, Query(max_length=100, description="Only clients of this category.")] = None,
    sort: Annotated[services.SearchSort | None, Query(
        description="When absent: relevance when words are typed, else created_at. relevance puts first the "
                    "clients whose names hold the words typed, a word typed whole before a word's start, then the "
                    "other words' matches; ties by creation. last_name sorts by the last name, else the company, "
                    "accents and case ignored.")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ClientOut]:
    search = services.ClientSearch(q=q, phone_mode=phone_mode, kind=kind, client_type_id=client_type_id,
                                   disputed=disputed, blocked=blocked, include_dormant=include_dormant, sort=sort,
                                   keywords=keywords, category=category)
    rows, next_cursor = await services.list_clients(uow, search, limit, cursor)
    return Page(items=[ClientOut.of(r, uow.clock.now().date()) for r in rows], next_cursor=next_cursor)


@router.get("/clients/{client_id}", summary="One client, with its participants.")
async def get_client(client_id: UUID, uow: UoW, _: BackOffice) -> ClientOut:
    return ClientOut.of(await services.get_client(uow, client_id), uow.clock.now().date())


@router.patch("/clients/{client_id}", summary="Change some of a client's fields, its type and flags.")
async def update_client(client_id: UUID, body: ClientPatch, uow: UoW, _: Staff) -> ClientOut:
    client = await services.update_client(uow, client_id, body.model_dump(exclude_unset=True))
    await uow.commit()
    return ClientOut.of(client, uow.clock.now().date())


@router.post(
    "/clients/{client_id}/participants", status_code=201, response_model=ParticipantOut,
    summary="Add a participant to a client.",
)
async def add_participant(client_id: UUID, body: ParticipantIn, uow: UoW, _: HolderWrites,
                          key: IdempotencyKey = None):
    async def add() -> ParticipantOut:
        participant = await services.add_participant(
            uow, client_id, ParticipantDetails(**body.model_dump(exclude={"legal_guardian_ids"})),
            body.legal_guardian_ids)
        return ParticipantOut.of(participant, uow.clock.now().date())

    return await once(uow, key, f"clients:add_participant:{client_id}", add)


@router.get("/clients/{client_id}/participants",
            summary="A client's participants (to a legal guardian's account, those it answers for).")
async def list_participants(
    client_id: UUID, uow: UoW, who: FamilyReads, limit: Limit = 50, cursor: Cursor = None
) -> Page[ParticipantOut]:
    rows, next_cursor = await services.list_participants(uow, client_id, limit, cursor, guardian_scope(who))
    return Page(items=[ParticipantOut.of(r, uow.clock.now().date()) for r in rows], next_cursor=next_cursor)


@router.get("/clients/{client_id}/participants/{participant_id}", summary="One participant of a client.")
async def get_participant(client_id: UUID, participant_id: UUID, uow: UoW, who: FamilyReads) -> ParticipantOut:
    participant = await services.get_participant(uow, client_id, participant_id, guardian_scope(who))
    return ParticipantOut.of(participant, uow.clock.now().date())
