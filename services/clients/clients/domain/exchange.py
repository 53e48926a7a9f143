"""The clients CSV file as French spreadsheets expect it: UTF-8 with a BOM, ';' between cells, French
headers and values (oui/non, 850,00). Export writes it; import reads the same columns back and says, line
by line, what is wrong. Read-only columns of the export (id, creation date, order figures) are ignored
on import."""
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from clients.domain.record import Details

BOM = "\ufeff"
DELIMITER = ";"
KINDS = {"private": "particulier", "professional": "professionnel", "prospect": "prospect"}
RECIPIENTS = {"client": "client", "legal_guardian": "responsable légal", "both": "les deux"}
YES, NO = "oui", "non"
ADDRESS_LINES = 4


def _yes_no(value: bool) -> str:
    return YES if value else NO


def _reverse(names: dict[str, str], what: str) -> Callable[[str], str]:
    by_french = {french: code for code, french in names.items()}

    def parse(text: str) -> str:
        if text.lower() not in by_french:
            raise ValueError(f"{what} must be one of: {', '.join(names.values())}")
        return by_french[text.lower()]

    return parse


def _boolean(text: str) -> bool:
    if text.lower() not in (YES, NO):
        raise ValueError("must be oui or non")
    return text.lower() == YES


def _uuid(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError as error:
        raise ValueError("is not a client type id") from error


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    write: Callable[[Any], str] = str
    read: Callable[[str], Any] = str


EDITABLE = (
    Column("Type", "kind", KINDS.__getitem__, _reverse(KINDS, "the kind")),
    Column("Civilité", "civility"),
    Column("Nom", "last_name"),
    Column("Prénom", "first_name"),
    Column("Raison sociale", "company_name"),
    Column("E-mail", "email"),
    Column("Mobile", "mobile"),
    Column("Téléphone fixe", "landline"),
    *(Column(f"Adresse {n}", f"address_line_{n}") for n in range(1, ADDRESS_LINES + 1)),
    Column("Code postal", "postal_code"),
    Column("Ville", "city"),
    Column("Pays", "country"),
    Column("Destinataire des e-mails", "recipient_preference", RECIPIENTS.__getitem__,
           _reverse(RECIPIENTS, "the recipient")),
    Column("En litige", "disputed", _yes_no, _boolean),
    Column("Bloqué", "blocked", _yes_no, _boolean),
    Column("En sommeil", "dormant", _yes_no, _boolean),
    Column("Actif", "active", _yes_no, _boolean),
    Column("Type client", "client_type_id", str, _uuid),
)
READ_ONLY = ("Identifiant", "Date de création", "Nombre de commandes", "Montant dépensé")
HEADERS = (READ_ONLY[0], *(c.header for c in EDITABLE), *READ_ONLY[1:])
REQUIRED = {"Type"}


def french_amount(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def export_row(client_id: UUID, details: Details, created_on: str, orders: int, spent: Decimal) -> list[str]:
    values = {**details.__dict__, **{f"address_line_{n}": line for n, line in enumerate(details.address_lines, 1)}}
    cells = [str(client_id)]
    for column in EDITABLE:
        value = values.get(column.field)
        cells.append("" if value is None else column.write(value))
    return [*cells, created_on, str(orders), french_amount(spent)]


def parse_header(header: list[str]) -> list[str]:
    """The problems with the header line: unknown or missing columns."""
    known = set(HEADERS)
    problems = [f"unknown column {name!r}" for name in header if name not in known]
    problems += [f"missing column {name!r}" for name in sorted(REQUIRED - set(header))]
    return problems


def parse_row(header: list[str], cells: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The fields of a client from one line (blank cells left out), and what is wrong with its cells."""
    if len(cells) != len(header):
        return {}, [f"{len(cells)} cells where the header has {len(header)}"]
    by_header = {column.header: column for column in EDITABLE}
    fields: dict[str, Any] = {}
    problems = []
    for name, cell in zip(header, cells, strict=True):
        column = by_header.get(name)
        if column is None or not cell.strip():
            continue
        try:
            fields[column.field] = column.read(cell.strip())
        except ValueError as error:
            problems.append(f"{name}: {error}")
    lines = tuple(fields.pop(f"address_line_{n}") for n in range(1, ADDRESS_LINES + 1)
                  if f"address_line_{n}" in fields)
    if lines:
        fields["address_lines"] = lines
    if "kind" not in fields and not any(p.startswith("Type:") for p in problems):
        problems.append("Type: required")
    return fields, problems
