"""HTTP route of the bulk import of clients from CSV (the export's columns)."""
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from clients import imports
from shared.app import UoW
from shared.auth import Staff
from shared.idempotency import IdempotencyKey, once
from shared.problems import Problem

router = APIRouter(tags=["client imports"])
MAX_BYTES = 5 * 1024 * 1024


class LineErrorOut(BaseModel):
    line: int
    reasons: list[str]


class ImportOut(BaseModel):
    dry_run: bool
    lines: int
    valid: int
    errors: list[LineErrorOut]
    created: list[UUID]


def _out(report: imports.Report, dry_run: bool) -> ImportOut:
    return ImportOut(dry_run=dry_run, lines=report.lines, valid=report.valid, created=report.created,
                     errors=[LineErrorOut(line=e.line, reasons=e.reasons) for e in report.errors])


@router.post(
    "/client-imports", status_code=201, response_model=ImportOut,
    summary="Import clients from a CSV file sent as a multipart upload (UTF-8 or Windows-1252, ';', the export's "
            "French headers). A dry run reports every bad line; the real run creates all the clients or, if any line "
            "is bad, none.",
    responses={200: {"model": ImportOut, "description": "The dry run's report: nothing is created."},
               413: {"description": "file_too_large"}},
)
async def import_clients(
    uow: UoW, _: Staff,
    file: Annotated[UploadFile, File(description="The CSV file, as the export writes it.")],
    dry_run: Annotated[bool, Query(description="Only check the file and report.")] = True,
    key: IdempotencyKey = None,
) -> JSONResponse:
    content = await file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise Problem(413, "file_too_large", "File too large", f"An import file holds at most {MAX_BYTES} bytes.")
    report, good = await imports.check(uow, imports.decode(content))
    if dry_run:
        return JSONResponse(_out(report, True).model_dump(mode="json"), status_code=200)
    if report.errors:
        out = _out(report, False)
        raise Problem(422, "invalid_import", "Invalid import",
                      f"{len(report.errors)} line(s) are wrong: nothing was imported. Correct them and import again.",
                      errors=[e.model_dump() for e in out.errors])

    async def create() -> ImportOut:
        report.created = await imports.import_clients(uow, good)
        return _out(report, False)

    return await once(uow, key, "clients:import_clients", create)


