"""The client record's rules: what a usable client is, how it is written, when it may change.

Pure functions of values: they normalise what an operator typed, say which fields are wrong and
why, and refuse any change to a blocked client but its unblocking.
"""
import re
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, Literal
from uuid import UUID

from shared.events import RecipientPreference
from shared.problems import DomainError

Kind = Literal["private", "professional", "prospect"]
Sex = Literal["female", "male"]
FRENCH_POSTAL_CODE = re.compile(r"\d{5}")
OLDEST_BIRTH_DATE = date(1900, 1, 1)


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class InvalidClient(ValueError):
    """The input breaks a rule of the record; each error names the field to correct."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Details:
    """What an operator edits on a client."""

    kind: Kind
    civility: str | None = None
    last_name: str | None = None
    first_name: str | None = None
    company_name: str | None = None
    email: str | None = None
    mobile: str | None = None
    landline: str | None = None
    address_lines: tuple[str, ...] = ()
    postal_code: str | None = None
    city: str | None = None
    country: str = "FR"
    recipient_preference: RecipientPreference = "client"
    disputed: bool = False
    blocked: bool = False
    client_type_id: UUID | None = None
    dormant: bool = False
    active: bool = True
    inactive_message: str | None = None


@dataclass(frozen=True)
class ParticipantDetails:
    last_name: str
    first_name: str
    birth_date: date | None = None
    sex: Sex | None = None


def tidy(text: str | None) -> str | None:
    """Trimmed, inner runs of spaces collapsed; None when nothing is left, so that blank means absent."""
    if text is None:
        return None
    return " ".join(text.split()) or None


def normalised(details: Details) -> Details:
    email = tidy(details.email)
    return replace(
        details,
        civility=tidy(details.civility),
        last_name=tidy(details.last_name),
        first_name=tidy(details.first_name),
        company_name=tidy(details.company_name),
        email=email.lower() if email else None,
        mobile=tidy(details.mobile),
        landline=tidy(details.landline),
        address_lines=tuple(line for line in map(tidy, details.address_lines) if line),
        postal_code=tidy(details.postal_code),
        city=tidy(details.city),
        country=details.country.strip().upper(),
        inactive_message=(details.inactive_message or "").strip() or None,
    )


def field_errors(details: Details, type_kind: Kind | None = None) -> list[FieldError]:
    """Every rule a normalised record breaks, so that the operator corrects them all at once.

    `type_kind` is the base kind of the client type the record names, None when no such type exists.
    """
    errors = []
    if details.client_type_id and type_kind is None:
        errors.append(FieldError("client_type_id", "No client type has this id."))
    elif details.client_type_id and type_kind != details.kind:
        errors.append(FieldError("client_type_id",
                                 f"This client type is for {type_kind} clients, not {details.kind} ones."))
    if details.kind == "private" and not details.last_name:
        errors.append(FieldError("last_name", "A private client needs a last name."))
    if details.kind == "professional" and not details.company_name:
        errors.append(FieldError("company_name", "A professional client needs a company name."))
    if details.kind == "prospect" and not (details.last_name or details.company_name or details.email):
        errors.append(FieldError("last_name", "A prospect needs a last name, a company name or an e-mail."))
    if details.country == "FR" and details.postal_code and not FRENCH_POSTAL_CODE.fullmatch(details.postal_code):
        errors.append(FieldError("postal_code", "A French postal code has 5 digits."))
    return errors


def new_client(details: Details, type_kind: Kind | None = None) -> Details:
    """The record to create, normalised; InvalidClient when it is not usable."""
    client = normalised(details)
    if errors := field_errors(client, type_kind):
        raise InvalidClient(errors)
    return client


def revise(current: Details, patch: dict[str, Any], type_kind: Kind | None = None) -> dict[str, Any]:
    """The fields a patch really changes, with their normalised values.

    A blocked client refuses every change but its unblocking, which must come alone.
    """
    revised = normalised(replace(current, **patch))
    changes = {f.name: getattr(revised, f.name) for f in fields(Details)
               if getattr(revised, f.name) != getattr(current, f.name)}
    if changes and changes != {"blocked": False}:
        ensure_changeable(current)
    if changes and (errors := field_errors(revised, type_kind)):
        raise InvalidClient(errors)
    return changes


def ensure_changeable(client: Details) -> None:
    """Blocked means no operation at all is allowed for this client."""
    if client.blocked:
        raise DomainError("client_blocked", "This client is blocked: unblock it first, then make the change.")


def new_participant(participant: ParticipantDetails, today: date) -> ParticipantDetails:
    """The participant to add, names tidied; InvalidClient when a name is blank or the birth date impossible.

    The birth date is optional, as in the events' participant snapshot; one given must be possible.
    """
    tidied = replace(participant, last_name=tidy(participant.last_name) or "",
                     first_name=tidy(participant.first_name) or "")
    errors = [FieldError(name, "This name must not be blank.")
              for name in ("last_name", "first_name") if not getattr(tidied, name)]
    if tidied.birth_date and not OLDEST_BIRTH_DATE <= tidied.birth_date <= today:
        errors.append(FieldError("birth_date", f"The birth date must be between {OLDEST_BIRTH_DATE} and today."))
    if errors:
        raise InvalidClient(errors)
    return tidied


def display_name(client: Details) -> str:
    """How the client is named on screens and documents: the company, else "Civility LAST First"."""
    if client.kind == "professional" and client.company_name:
        return client.company_name
    person = " ".join(part for part in (client.civility, (client.last_name or "").upper(), client.first_name) if part)
    return person or client.company_name or client.email or ""
