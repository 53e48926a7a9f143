"""The back-office's first page: what an organiser reads in ten seconds. Options about to expire, validated orders
still owing money, and each departure's fill rate drawn from the stock buckets."""
from datetime import datetime, timedelta
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web.pages import Api, CurrentSession, render, see_other

router = APIRouter(prefix="/bo", include_in_schema=False)
HORIZON = timedelta(hours=48)


@router.get("/")
async def dashboard(request: Request, session: CurrentSession, services: Api) -> Response:
    if not session.staff:
        return see_other("/bo/connexion")
    options = await services.json(session, "orders", "/orders", status="option", limit=100)
    now = datetime.now().astimezone()
    expiring = sorted((o for o in options["items"] if o["option_expires_at"]
                       and datetime.fromisoformat(o["option_expires_at"]) <= now + HORIZON),
                      key=lambda o: o["option_expires_at"])
    owing = await services.json(session, "orders", "/orders", status="validated", settled="false", limit=100)
    unpaid = sum((Decimal(o["balance"]) for o in owing["items"]), Decimal(0))
    summary = await services.json(session, "stock", "/stock-summary", start_after=now.date().isoformat(), limit=20)
    return render(request, "bo/dashboard.html", expiring=expiring, owing=owing, unpaid=unpaid,
                  stays=summary["items"], more_stays=summary["next_cursor"] is not None)
