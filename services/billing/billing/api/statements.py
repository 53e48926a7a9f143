"""Account statements of a client at any date (JSON or PDF), and the aged balance of every client."""
import asyncio
from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from billing import statements
from billing.api.documents import PDF_RESPONSE, Reader
from billing.api.schemas import AgedBalanceOut, AgedOut, StatementOut
from billing.domain.documents import issue_date
from billing.domain.statements import aged, statement
from billing.pdf import render_statement
from shared.app import UoW
from shared.auth import BackOffice, ensure_owner
from shared.db import UnitOfWork
from shared.pagination import Cursor, Limit, Page
from shared.problems import Problem

router = APIRouter(tags=["account statements"])
At = Annotated[date | None, Query(description="The statement's date; today (the master entity's) when omitted.")]
HideSettled = Annotated[bool, Query(description="Leave out what is settled (an order or a service invoice whose "
                                                "entries sum to zero).")]


def _aged(buckets: dict[str, Decimal]) -> AgedOut:
    return AgedOut(not_due=buckets["not_due"], days_1_30=buckets["1_30"], days_31_60=buckets["31_60"],
                   days_61_90=buckets["61_90"], over_90=buckets["over_90"])


async def _statement(uow: UnitOfWork, client_id: UUID, at: date | None, hide_settled: bool) -> StatementOut:
    zone = await statements.time_zone(uow)
    day = at or issue_date(uow.clock.now(), zone)
    all_entries = (await statements.entries(uow, client_id, zone)).get(client_id, [])
    shown, balance = statement(all_entries, day, hide_settled)
    return StatementOut(client_id=client_id, at=day, hide_settled=hide_settled, entries=shown, balance=balance,
                        aged=_aged(aged(all_entries, day)))


@router.get("/account-statements/{client_id}", summary="A client's statement at a date: invoices, credit notes and "
                                                        "payments with the running balance.")
async def get_statement(client_id: UUID, uow: UoW, reader: Reader, at: At = None,
                        hide_settled: HideSettled = False) -> StatementOut:
    ensure_owner(reader, client_id, "account statement", client_id)
    return await _statement(uow, client_id, at, hide_settled)


@router.get("/account-statements/{client_id}/pdf", summary="The statement as a PDF.", response_class=Response,
            responses=PDF_RESPONSE)
async def statement_pdf(client_id: UUID, uow: UoW, reader: Reader, at: At = None,
                        hide_settled: HideSettled = False) -> Response:
    ensure_owner(reader, client_id, "account statement", client_id)
    out = await _statement(uow, client_id, at, hide_settled)
    name = (await statements.buyer_names(uow, [client_id])).get(client_id, "")
    pdf = await asyncio.to_thread(render_statement, out, name)
    disposition = f'inline; filename="releve-{out.at.isoformat()}.pdf"'
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": disposition})


@router.get("/aged-balance", summary="Every client that owes something at a date, by age of what it owes.")
async def aged_balance(uow: UoW, _: BackOffice, at: At = None, limit: Limit = 50,
                       cursor: Cursor = None) -> Page[AgedBalanceOut]:
    if cursor is not None and not _is_client_id(cursor):
        raise Problem(422, "invalid_cursor", "Invalid cursor", "cursor: not one this list gave.")
    zone = await statements.time_zone(uow)
    day = at or issue_date(uow.clock.now(), zone)
    owing = []
    every = await statements.entries(uow, None, zone)
    for client_id, client_entries in sorted(every.items(), key=lambda item: str(item[0])):
        buckets = aged(client_entries, day)
        if any(buckets.values()) and (cursor is None or str(client_id) > cursor):
            owing.append((client_id, buckets))
    page = owing[:limit]
    names = await statements.buyer_names(uow, [client_id for client_id, _ in page])
    items = [AgedBalanceOut(client_id=client_id, name=names.get(client_id, ""), total=sum(buckets.values()),
                            **_aged(buckets).model_dump()) for client_id, buckets in page]
    return Page(items=items, next_cursor=str(page[-1][0]) if len(owing) > limit else None)


def _is_client_id(cursor: str) -> bool:
    try:
        UUID(cursor)
    except ValueError:
        return False
    return True
