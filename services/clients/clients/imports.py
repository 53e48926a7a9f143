"""Bulk import of clients from the export's CSV: a dry run reports every bad line with its number and
reason; the real run creates every client in the caller's one transaction, or none when a line is bad.

Each line goes through the same rules as `POST /clients`: the request model's checks, then the record's.
"""
import csv
import io
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from clients import services
from clients.api import ClientIn
from clients.domain.exchange import BOM, DELIMITER, EDITABLE, parse_header, parse_row
from clients.domain.record import Details, InvalidClient, Kind, new_client
from shared.db import UnitOfWork
from shared.problems import Problem

MAX_LINES = 10_000
HEADER_OF = {column.field: column.header for column in EDITABLE} | {"address_lines": "Adresse"}


@dataclass
class LineError:
    line: int
    reasons: list[str]


@dataclass
class Report:
    lines: int = 0
    valid: int = 0
    errors: list[LineError] = field(default_factory=list)
    created: list[UUID] = field(default_factory=list)


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which French spreadsheets also save; a 422 for neither."""
    try:
        return content.decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise Problem(422, "invalid_encoding", "Unreadable file",
                      f"The file is neither UTF-8 nor Windows-1252 text (byte {error.start}).") from error


def _reasons(error: ValidationError) -> list[str]:
    return [f"{HEADER_OF.get(str(e['loc'][0]), e['loc'][0])}: {e['msg']}" for e in error.errors()]


async def _type_kinds(uow: UnitOfWork, cache: dict[UUID, Kind | None], type_id: UUID | None) -> Kind | None:
    if type_id is not None and type_id not in cache:
        cache[type_id] = await services._type_kind(uow, type_id)
    return cache.get(type_id) if type_id else None


async def check(uow: UnitOfWork, text: str) -> tuple[Report, list[Details]]:
    """Every line read and checked; the clients of the good lines."""
    report, good = Report(), []
    # newline="": csv splits lines itself, so that a file saved with bare carriage returns (Excel for Mac) is read.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITER)
    try:
        header = next(reader, None)
    except csv.Error as error:
        report.errors.append(LineError(1, [f"unreadable CSV: {error}"]))
        return report, good
    if not header or not any(cell.strip() for cell in header):
        report.errors.append(LineError(1, ["the file is empty: the first line must name the columns"]))
        return report, good
    header = [name.strip() for name in header]
    if problems := parse_header(header):
        report.errors.append(LineError(1, problems))
        return report, good
    kinds: dict[UUID, Kind | None] = {}
    previous_end = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            report.errors.append(LineError(previous_end + 1, [f"unreadable CSV: {error}"]))
            break
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        report.lines += 1
        if report.lines > MAX_LINES:
            report.errors.append(LineError(line, [f"an import holds at most {MAX_LINES} clients"]))
            break
        fields, reasons = parse_row(header, cells)
        if "kind" in fields:
            details, more = await _check_client(uow, kinds, fields)
            reasons += more
            if not reasons and details is not None:
                good.append(details)
        if reasons:
            report.errors.append(LineError(line, reasons))
    report.valid = len(good)
    return report, good


async def _check_client(uow: UnitOfWork, kinds: dict[UUID, Kind | None], fields: dict[str, Any]
                        ) -> tuple[Details | None, list[str]]:
    """The client of a line's readable cells, or why it is not one."""
    try:
        details = Details(**ClientIn.model_validate(fields).model_dump())
    except ValidationError as error:
        return None, _reasons(error)
    try:
        return new_client(details, await _type_kinds(uow, kinds, details.client_type_id)), []
    except InvalidClient as error:
        return None, [f"{HEADER_OF.get(e.field, e.field)}: {e.message}" for e in error.errors]


async def import_clients(uow: UnitOfWork, good: list[Details]) -> list[UUID]:
    return [(await services.create_client(uow, details)).id for details in good]
