"""The accounting export of an issuer's fiscal year: the FEC, and the same entries as CSV for other software."""
import csv
import io
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from billing import accounting
from billing.domain.accounting import fec_name, fec_rows
from shared.app import UoW
from shared.auth import Principal, require_roles

router = APIRouter(tags=["accounting"])
Accountant = Annotated[Principal, Depends(require_roles("admin", "accountant"))]
JOURNALS = {"VT": "Ventes", "BQ": "Banque"}
TEXT = {200: {"content": {"text/plain": {}}, "description": "The file."}}


async def _rows(uow: UoW, issuer_id: UUID, starts_on: date) -> tuple[list[list[str]], str]:
    entries, closing, siren = await accounting.fiscal_year_entries(uow, issuer_id, starts_on)
    return fec_rows(entries, JOURNALS), fec_name(siren, closing)


@router.get("/issuers/{issuer_id}/fiscal-years/{starts_on}/fec", response_class=Response, responses=TEXT,
            summary="The FEC of a fiscal year: 18 tab-separated columns, named <SIREN>FEC<closing date>.")
async def fec(issuer_id: UUID, starts_on: date, uow: UoW, _: Accountant) -> Response:
    rows, name = await _rows(uow, issuer_id, starts_on)
    body = "\r\n".join("\t".join(row) for row in rows) + "\r\n"
    return Response(body.encode(), media_type="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/issuers/{issuer_id}/fiscal-years/{starts_on}/entries.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "The entries."}},
            summary="The same entries as CSV (semicolons, decimal comma) for other accounting software.")
async def entries_csv(issuer_id: UUID, starts_on: date, uow: UoW, _: Accountant) -> Response:
    rows, name = await _rows(uow, issuer_id, starts_on)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return Response(out.getvalue().encode(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name.removesuffix(".txt")}.csv"'})
