"""The client record's rules: what a usable client is, how it is written, when it may change.

Pure functions of values: they normalise what an operator typed, say which fields are wrong and
why, and refuse any change to a blocked client but its unblocking.
"""
import re
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from clients.domain.identifiers import compact, naf_code, siren_error, siret_error, vat_error
from shared.events import RecipientPreference
from shared.money import quantize
from shared.problems import DomainError

Kind = Literal["private", "professional", "prospect"]
Sex = Literal["female", "male"]
FRENCH_POSTAL_CODE = re.compile(r"\d{5}")
CLIENT_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]*")
PROFESSIONAL_ONLY = {"billing_excluding_tax": "Billing excluding tax", "markup": "A markup",
                     "all_offers": "All offers"}
"""Terms only a professional client (a reseller) can have, and how an operator names them."""
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
    work_phone: str | None = None
    fax: str | None = None
    birth_date: date | None = None
    sales_operator: str | None = None
    category: str | None = None
    internal_code_1: str | None = None
    internal_code_2: str | None = None
    client_code: str | None = None
    """A readable code given at creation when none is typed; a barcode may replace it. Unique."""
    siret: str | None = None
    siren: str | None = None
    naf_code: str | None = None
    vat_number: str | None = None
    vat_validated: bool = False
    """The operator checked the intra-EU VAT number (on the EU's VIES site): the client is billed without VAT."""
    tax_exempt: bool = False
    billing_excluding_tax: bool = False
    accounting_code: str | None = None
    anonymous_accounting_code: bool = False
    """The accounting export books this client under the shared "anonymous" account."""
    permanent_discount_rate: Decimal = Decimal("0.00")
    payment_terms: str | None = None
    deferred_payment_allowed: bool = False
    deferred_payment_terms: str | None = None
    credit_limit: Decimal | None = None
    markup: Decimal | None = None
    all_offers: bool = False
    info: str | None = None
    """The operators' free notes, found by keyword."""
    welcome_message: str | None = None
    """Shown to the client at each front-office login."""


@dataclass(frozen=True)
class ParticipantDetails:
    last_name: str
    first_name: str
    birth_date: date | None = None
    sex: Sex | None = None
    address_lines: tuple[str, ...] = ()
    postal_code: str | None = None
    city: str | None = None
    country: str = "FR"


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
        inactive_message=_text(details.inactive_message),
        work_phone=tidy(details.work_phone),
        fax=tidy(details.fax),
        sales_operator=tidy(details.sales_operator),
        category=tidy(details.category),
        internal_code_1=tidy(details.internal_code_1),
        internal_code_2=tidy(details.internal_code_2),
        client_code=(tidy(details.client_code) or "").upper() or None,
        siret=_identifier(details.siret),
        siren=_identifier(details.siren),
        naf_code=_identifier(details.naf_code, naf_code),
        vat_number=_identifier(details.vat_number),
        accounting_code=tidy(details.accounting_code),
        payment_terms=tidy(details.payment_terms),
        deferred_payment_terms=_text(details.deferred_payment_terms),
        info=_text(details.info),
        welcome_message=_text(details.welcome_message),
        permanent_discount_rate=quantize(details.permanent_discount_rate),
        markup=None if details.markup is None else quantize(details.markup),
        credit_limit=None if details.credit_limit is None else quantize(details.credit_limit),
    )


def _text(text: str | None) -> str | None:
    """A free text keeps its lines; only its outer blanks go."""
    return (text or "").strip() or None


def _identifier(text: str | None, canonical: Any = None) -> str | None:
    """Compacted ("732 829 320" -> "732829320"); in its canonical form when it has one."""
    value = compact(text or "") or None
    return (canonical(value) or value) if value and canonical else value


def field_errors(details: Details, type_kind: Kind | None = None, today: date | None = None) -> list[FieldError]:
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
    if details.birth_date and today and not OLDEST_BIRTH_DATE <= details.birth_date <= today:
        errors.append(FieldError("birth_date", f"The birth date must be between {OLDEST_BIRTH_DATE} and today."))
    if details.client_code and not CLIENT_CODE.fullmatch(details.client_code):
        errors.append(FieldError("client_code", "A client code has letters, digits, dots, dashes and underscores."))
    return errors + professional_errors(details)


def professional_errors(details: Details) -> list[FieldError]:
    """The company identifiers' formats and keys, and the terms reserved to professionals."""
    errors = [FieldError(name, message) for name, message in (
        ("siren", details.siren and siren_error(details.siren)),
        ("siret", details.siret and siret_error(details.siret)),
        ("vat_number", details.vat_number and vat_error(details.vat_number)),
    ) if message]
    if details.siret and details.siren and not details.siret.startswith(details.siren):
        errors.append(FieldError("siret", "A SIRET starts with the company's SIREN."))
    if details.vat_number and details.siren and details.vat_number.startswith("FR") \
            and details.vat_number[4:] != details.siren:
        errors.append(FieldError("vat_number", "A French VAT number ends with the company's SIREN."))
    if details.naf_code and not naf_code(details.naf_code):
        errors.append(FieldError("naf_code", "A NAF code is 4 digits and a letter, such as 55.20Z."))
    if details.vat_validated and not details.vat_number:
        errors.append(FieldError("vat_validated", "Only a VAT number that has been entered can be validated."))
    if details.kind != "professional":
        errors.extend(FieldError(name, f"{label} is only for professional clients.")
                      for name, label in PROFESSIONAL_ONLY.items() if getattr(details, name))
    return errors


def vat_exempt(details: Details) -> bool:
    """Billed without VAT: exempted by the operator, or a professional whose EU VAT number was validated."""
    return details.tax_exempt or details.vat_validated


def new_client(details: Details, type_kind: Kind | None = None, today: date | None = None) -> Details:
    """The record to create, normalised; InvalidClient when it is not usable."""
    client = normalised(details)
    if errors := field_errors(client, type_kind, today):
        raise InvalidClient(errors)
    return client


def revise(
    current: Details, patch: dict[str, Any], type_kind: Kind | None = None, today: date | None = None
) -> dict[str, Any]:
    """The fields a patch really changes, with their normalised values.

    A blocked client refuses every change but its unblocking, which must come alone.
    """
    revised = normalised(replace(current, **patch))
    changes = {f.name: getattr(revised, f.name) for f in fields(Details)
               if getattr(revised, f.name) != getattr(current, f.name)}
    if changes and changes != {"blocked": False}:
        ensure_changeable(current)
    if changes and (errors := field_errors(revised, type_kind, today)):
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
                     first_name=tidy(participant.first_name) or "",
                     address_lines=tuple(line for line in map(tidy, participant.address_lines) if line),
                     postal_code=tidy(participant.postal_code), city=tidy(participant.city),
                     country=participant.country.strip().upper())
    errors = [FieldError(name, "This name must not be blank.")
              for name in ("last_name", "first_name") if not getattr(tidied, name)]
    if tidied.country == "FR" and tidied.postal_code and not FRENCH_POSTAL_CODE.fullmatch(tidied.postal_code):
        errors.append(FieldError("postal_code", "A French postal code has 5 digits."))
    if tidied.birth_date and not OLDEST_BIRTH_DATE <= tidied.birth_date <= today:
        errors.append(FieldError("birth_date", f"The birth date must be between {OLDEST_BIRTH_DATE} and today."))
    if errors:
        raise InvalidClient(errors)
    return tidied


def age_on(birth_date: date, today: date) -> int:
    """Whole years lived on `today`; born on 29 February, one turns a year older on 1 March."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def display_name(client: Details) -> str:
    """How the client is named on screens and documents: the company, else "Civility LAST First"."""
    if client.kind == "professional" and client.company_name:
        return client.company_name
    person = " ".join(part for part in (client.civility, (client.last_name or "").upper(), client.first_name) if part)
    return person or client.company_name or client.email or ""
