"""Custom fields: extra fields an operator defines on the client record (name, order, type), and
their values on clients, checked against the field's type."""
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from clients.domain.record import FieldError, InvalidClient, tidy
from shared.problems import DomainError

FieldType = Literal["text", "number", "date", "yes_no", "list"]
MAX_TEXT = 1000


@dataclass(frozen=True)
class Definition:
    name: str
    type: FieldType
    position: int = 0
    options: tuple[str, ...] = ()
    """The values a list field may take, in the order they are offered."""


def new_definition(definition: Definition) -> Definition:
    """The field to define, tidied; InvalidClient when its name is blank or its options do not fit its type."""
    options = tuple(dict.fromkeys(option for option in map(tidy, definition.options) if option))
    tidied = replace(definition, name=tidy(definition.name) or "", options=options)
    errors = []
    if not tidied.name:
        errors.append(FieldError("name", "A custom field needs a name."))
    if tidied.type == "list" and not options:
        errors.append(FieldError("options", "A list of values needs at least one value."))
    if tidied.type != "list" and options:
        errors.append(FieldError("options", "Only a list of values has options."))
    if errors:
        raise InvalidClient(errors)
    return tidied


def ensure_retype_allowed(current: Definition, revised: Definition, values_exist: bool,
                          options_in_use: set[str]) -> None:
    """Values already entered must stay valid: no new type, no removed option, while clients have one."""
    if revised.type != current.type and values_exist:
        raise DomainError("custom_field_in_use",
                          f"Clients have a value for {current.name!r}: its type cannot change.")
    if removed := options_in_use - set(revised.options):
        raise DomainError("custom_field_option_in_use",
                          f"Clients have the value(s) {', '.join(sorted(removed))}: keep them in the list.")


def parse_value(definition: Definition, raw: Any) -> Any:
    """The value to store for a client (JSON: text, number as a string, ISO date, boolean, option),
    None to clear it; InvalidClient when it is not of the field's type."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value = _typed(definition, raw)
    if value is None:
        raise InvalidClient([FieldError("value", _expected(definition))])
    return value


def _typed(definition: Definition, raw: Any) -> Any:
    kind = definition.type
    if kind == "text":
        return raw.strip() if isinstance(raw, str) and len(raw.strip()) <= MAX_TEXT else None
    if kind == "yes_no":
        return raw if isinstance(raw, bool) else None
    if kind == "list":
        return raw.strip() if isinstance(raw, str) and raw.strip() in definition.options else None
    if kind == "date":
        try:
            return date.fromisoformat(raw).isoformat() if isinstance(raw, str) else None
        except ValueError:
            return None
    if isinstance(raw, bool) or not isinstance(raw, int | str | float):
        return None
    try:
        number = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return str(number) if number.is_finite() else None


def _expected(definition: Definition) -> str:
    return {
        "text": f"A text of at most {MAX_TEXT} characters.",
        "number": "A number, such as 12 or 3.5.",
        "date": "A date, as 2027-07-14.",
        "yes_no": "true or false.",
        "list": f"One of: {', '.join(definition.options)}.",
    }[definition.type]
