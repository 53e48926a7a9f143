"""The stock summary of a season: each stay's departures with their places (capacity, held, overdue, confirmed,
free)."""
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.pages import Api, Staff, render

router = APIRouter(prefix="/bo/stock", include_in_schema=False)


@router.get("")
async def summary(request: Request, session: Staff, services: Api, start_after: str | None = None,
                  end_before: str | None = None, cursor: str | None = None) -> HTMLResponse:
    page = await services.json(session, "stock", "/stock-summary", start_after=start_after or None,
                               end_before=end_before or None, cursor=cursor, limit=20)
    return render(request, "bo/stock.html", page=page, start_after=start_after or "", end_before=end_before or "")
