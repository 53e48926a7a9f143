"""Back-office orders: the order screen (status, the four flags of seed 001, price breakdown, payments, workflow),
recording a payment, a new booking with its price, and invoices' PDFs."""
import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from web.api.schemas import PAYMENT_METHODS, STATUSES
from web.i18n import translator
from web.pages import Api, Seller, Staff, csrf_checked, pdf_download, render, see_other
from web.services import Refusal

router = APIRouter(prefix="/bo", include_in_schema=False)


async def _order_page(request: Request, session, services, order_id: str, status_code: int = 200,
                      refusal: str | None = None, errors: dict | None = None, values: dict | None = None,
                      cursor: str | None = None) -> HTMLResponse:
    order = await services.json(session, "orders", f"/orders/{order_id}")
    client = await services.json(session, "clients", f"/clients/{order['client_id']}")
    payments = await services.json(session, "orders", f"/orders/{order_id}/payments", limit=50)
    workflow = await services.json(session, "orders", f"/orders/{order_id}/workflow", limit=50, cursor=cursor)
    return render(request, "bo/order.html", status_code=status_code, order=order, client=client,
                  payments=payments, workflow=workflow, statuses=STATUSES, methods=PAYMENT_METHODS,
                  refusal=refusal, errors=errors or {}, values=values or {}, idempotency_key=uuid.uuid4())


@router.get("/commandes/{order_id}")
async def order_screen(request: Request, session: Staff, services: Api, order_id: str,
                       cursor: str | None = None) -> HTMLResponse:
    return await _order_page(request, session, services, order_id, cursor=cursor)


@router.post("/commandes/{order_id}/reglements", dependencies=[Depends(csrf_checked)])
async def record_payment(request: Request, session: Seller, services: Api, order_id: str) -> Response:
    """The form carries its own Idempotency-Key: a double click records one payment."""
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in ("amount", "method", "idempotency_key")}
    answer = await services.call(session, "POST", "orders", f"/orders/{order_id}/payments",
                                 json={"amount": values["amount"].replace(",", ".") or None,
                                       "method": values["method"]},
                                 headers={"Idempotency-Key": values["idempotency_key"]})
    if answer.status_code != 201:
        refusal = Refusal(answer)
        return await _order_page(request, session, services, order_id, status_code=answer.status_code,
                                 refusal=refusal.detail, errors=refusal.fields, values=values)
    return see_other(f"/bo/commandes/{order_id}?ok=reglement")


@router.get("/factures/{invoice_id}.pdf")
async def invoice_pdf(session: Staff, services: Api, invoice_id: str) -> Response:
    return pdf_download(await services.call(session, "GET", "billing", f"/invoices/{invoice_id}/pdf"))


@router.get("/reservations/nouvelle")
async def booking_page(request: Request, session: Seller, services: Api, client_id: str | None = None,
                       q: str = "", start_after: str = "", end_before: str = "") -> HTMLResponse:
    return await _booking_page(request, session, services, client_id, q, period=(start_after, end_before))


async def _booking_page(request, session, services, client_id, q="", status_code=200, refusal=None, chosen=None,
                        period=("", "")):
    client = participants = departures = None
    matches = None
    if client_id:
        client = await services.json(session, "clients", f"/clients/{client_id}")
        participants = await services.json(session, "clients", f"/clients/{client_id}/participants", limit=100)
        departures = await bookable_departures(session, services, *period)
    elif q.strip():
        matches = await services.json(session, "clients", "/clients", q=q.strip(), limit=20)
    return render(request, "bo/booking.html", status_code=status_code, client=client, participants=participants,
                  departures=departures, matches=matches, q=q, refusal=refusal, chosen=chosen or {}, period=period,
                  idempotency_key=uuid.uuid4())


async def bookable_departures(session, services, start_after: str, end_before: str) -> list[dict]:
    """Departures with free places in the period chosen, from the stock summary (which names their stay)."""
    summary = await services.json(session, "stock", "/stock-summary", limit=50, start_after=start_after or None,
                                  end_before=end_before or None)
    return [{**departure, "title": stay["title"]} for stay in summary["items"] for departure in stay["departures"]
            if departure["stock"]["free"] > 0]


@router.get("/reservations/prix")
async def booking_price(request: Request, session: Seller, services: Api, departure_id: str = "",
                        participant_ids: Annotated[list[str], Query()] = ()) -> HTMLResponse:
    """The price as the user chooses, for htmx: the departure's price for each participant chosen."""
    _ = translator(request.state.language)
    count = len(participant_ids)
    if not departure_id:
        return HTMLResponse(f"<p>{_('Choisissez un départ.')}</p>")
    pricing = await services.json(session, "stock", f"/departures/{departure_id}/pricing")
    return render(request, "bo/booking_price.html", pricing=pricing, count=count,
                  total=Decimal(pricing["total"]) * count)


@router.post("/reservations", dependencies=[Depends(csrf_checked)])
async def book(request: Request, session: Seller, services: Api) -> Response:
    form = await request.form()
    client_id, departure_id = str(form.get("client_id", "")), str(form.get("departure_id", ""))
    participant_ids = [str(value) for value in form.getlist("participant_ids")]
    _ = translator(request.state.language)
    problem = (_("Choisissez un départ.") if not departure_id
               else _("Choisissez au moins un participant.") if not participant_ids else None)
    if problem is None:
        promo_code = str(form.get("promo_code", "")).strip()
        answer = await services.call(session, "POST", "orders", "/orders", json={
            "client_id": client_id, "departure_id": departure_id, "participant_ids": participant_ids,
            **({"promo_code": promo_code} if promo_code else {})},
            headers={"Idempotency-Key": str(form.get("idempotency_key", "")) or str(uuid.uuid4())})
        if answer.status_code == 201:
            return see_other(f"/bo/commandes/{answer.json()['id']}?ok=reservation")
        problem = Refusal(answer).detail
    return await _booking_page(request, session, services, client_id, status_code=422, refusal=problem,
                               chosen={"departure_id": departure_id, "participant_ids": participant_ids,
                                       "promo_code": str(form.get("promo_code", ""))},
                               period=(str(form.get("start_after", "")), str(form.get("end_before", ""))))


@router.get("/commandes/{order_id}/annulation")
async def cancellation_page(request: Request, session: Seller, services: Api, order_id: str, par: str = "client",
                            refusal: str | None = None, status_code: int = 200) -> HTMLResponse:
    """The fees and the refund shown before the user confirms: nothing is cancelled by opening this page."""
    by = par if par in ("client", "organiser") else "client"
    order = await services.json(session, "orders", f"/orders/{order_id}")
    quote = await services.json(session, "orders", f"/orders/{order_id}/cancellation-quote", by=by)
    return render(request, "bo/cancellation.html", status_code=status_code, order=order, quote=quote, by=by,
                  refusal=refusal)


@router.post("/commandes/{order_id}/annulation", dependencies=[Depends(csrf_checked)])
async def cancel(request: Request, session: Seller, services: Api, order_id: str) -> Response:
    form = await request.form()
    by, reason = str(form.get("by", "client")), str(form.get("reason", "")).strip()
    answer = await services.call(session, "POST", "orders", f"/orders/{order_id}/cancellation",
                                 json={"by": by, "reason": reason})
    if answer.status_code != 200:
        return await cancellation_page(request, session, services, order_id, par=by, status_code=answer.status_code,
                                       refusal=Refusal(answer).detail)
    return see_other(f"/bo/commandes/{order_id}?ok=annulation")
