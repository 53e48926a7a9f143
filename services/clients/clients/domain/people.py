"""The people around a client: its legal guardians (the same form as a client) and its contacts,
copied on transactional e-mails. Pure rules: normalise, check, say what a patch changes."""
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, TypeVar

from clients.domain.record import FRENCH_POSTAL_CODE, OLDEST_BIRTH_DATE, FieldError, InvalidClient, tidy


@dataclass(frozen=True)
class GuardianDetails:
    """An adult responsible for the client's participants (staff may give it a front-office account, at identity)."""

    last_name: str
    civility: str | None = None
    first_name: str | None = None
    email: str | None = None
    mobile: str | None = None
    landline: str | None = None
    work_phone: str | None = None
    address_lines: tuple[str, ...] = ()
    postal_code: str | None = None
    city: str | None = None
    country: str = "FR"
    birth_date: date | None = None


@dataclass(frozen=True)
class ContactDetails:
    """Someone at the client (the accountant of a works council, ...) to copy on transactional e-mails."""

    last_name: str
    civility: str | None = None
    first_name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    copy_on_emails: bool = True


Person = TypeVar("Person", GuardianDetails, ContactDetails)


def _normalised(person: Person) -> Person:
    values: dict[str, Any] = {}
    for f in fields(person):
        value = getattr(person, f.name)
        if isinstance(value, str) and f.name != "country":
            values[f.name] = tidy(value)
    if isinstance(person, GuardianDetails):
        values["address_lines"] = tuple(line for line in map(tidy, person.address_lines) if line)
        values["country"] = person.country.strip().upper()
    if values.get("email"):
        values["email"] = values["email"].lower()
    return replace(person, **values)


def _check(person: GuardianDetails | ContactDetails, today: date) -> None:
    errors = []
    if not person.last_name:
        errors.append(FieldError("last_name", "A last name is required."))
    if isinstance(person, GuardianDetails):
        if person.country == "FR" and person.postal_code and not FRENCH_POSTAL_CODE.fullmatch(person.postal_code):
            errors.append(FieldError("postal_code", "A French postal code has 5 digits."))
        if person.birth_date and not OLDEST_BIRTH_DATE <= person.birth_date <= today:
            errors.append(FieldError("birth_date", f"The birth date must be between {OLDEST_BIRTH_DATE} and today."))
    if isinstance(person, ContactDetails) and person.copy_on_emails and not person.email:
        errors.append(FieldError("email", "A contact copied on e-mails needs an e-mail."))
    if errors:
        raise InvalidClient(errors)


def new_person(person: Person, today: date) -> Person:
    """The guardian or contact to record, normalised; InvalidClient naming the wrong fields."""
    person = _normalised(person)
    _check(person, today)
    return person


def revise_person(current: Person, patch: dict[str, Any], today: date) -> dict[str, Any]:
    """The fields a patch really changes, checked on the resulting record."""
    revised = _normalised(replace(current, **patch))
    _check(revised, today)
    return {f.name: getattr(revised, f.name) for f in fields(current)
            if getattr(revised, f.name) != getattr(current, f.name)}


def participant_guardians(named: list[Any], of_client: set[Any]) -> list[Any]:
    """The guardians named for a participant, each once, in the order given: only the client's own guardians can
    answer for its participants."""
    strangers = [str(guardian) for guardian in named if guardian not in of_client]
    if strangers:
        raise InvalidClient([FieldError("legal_guardian_ids", f"not a legal guardian of this client: {strangers[0]}")])
    return list(dict.fromkeys(named))
