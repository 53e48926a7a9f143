"""The family portal: the public catalogue, signing up and logging in with identity's front-office accounts, the
family's space (profile, participants, orders, invoices) and booking a departure."""
import uuid

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from web.api.schemas import PARTICIPANT_FIELDS, STATUSES, participant_body
from web.i18n import translator
from web.login import Refused, log_in, log_out
from web.pages import NOTICES, Api, CurrentSession, Family, csrf_checked, form_values, pdf_download, render, see_other
from web.services import Refusal

router = APIRouter(include_in_schema=False)
SIGN_UP_FIELDS = ("civility", "last_name", "first_name", "email", "password", "mobile", "address", "postal_code",
                  "city")


def _next(suite: str | None) -> str:
    return suite if suite and suite.startswith("/") and not suite.startswith(("//", "/bo")) else "/espace"


@router.get("/")
async def catalogue(request: Request, session: CurrentSession, services: Api, cursor: str | None = None,
                    age: str = "", start_after: str = "") -> HTMLResponse:
    filters = {name: value for name, value in (("age", age), ("start_after", start_after)) if value}
    answer = await services.public("GET", "stock", "/catalogue/departures",
                                   params={"limit": 20, **filters, **({"cursor": cursor} if cursor else {})})
    if answer.status_code == 422:
        filters, answer = {}, await services.public("GET", "stock", "/catalogue/departures", params={"limit": 20})
    if answer.status_code != 200:
        raise Refusal(answer)
    return render(request, "portal/catalogue.html", page=answer.json(), filters=filters)


@router.get("/sejours/{departure_id}")
async def departure(request: Request, session: CurrentSession, services: Api, departure_id: str,
                    refusal: str | None = None, status_code: int = 200) -> HTMLResponse:
    answer = await services.public("GET", "stock", f"/catalogue/departures/{departure_id}")
    if answer.status_code != 200:
        raise Refusal(answer)
    participants = None
    if session.family:
        participants = await services.json(session, "clients", f"/clients/{session.claims['client_id']}/participants",
                                           limit=100)
    return render(request, "portal/departure.html", status_code=status_code, offer=answer.json(),
                  participants=participants, refusal=refusal, idempotency_key=uuid.uuid4())


@router.post("/sejours/{departure_id}/reservation", dependencies=[Depends(csrf_checked)])
async def book(request: Request, session: Family, services: Api, departure_id: str) -> Response:
    form = await request.form()
    participant_ids = [str(value) for value in form.getlist("participant_ids")]
    if not participant_ids:
        return await departure(request, session, services, departure_id, status_code=422,
                               refusal=translator(request.state.language)("Choisissez au moins un participant."))
    answer = await services.call(session, "POST", "orders", "/orders",
                                 json={"departure_id": departure_id, "participant_ids": participant_ids},
                                 headers={"Idempotency-Key": str(form.get("idempotency_key", "")) or str(uuid.uuid4())})
    if answer.status_code != 201:
        return await departure(request, session, services, departure_id, status_code=answer.status_code,
                               refusal=Refusal(answer).detail)
    return see_other(f"/commandes/{answer.json()['id']}?ok=reservation")


@router.get("/inscription")
async def sign_up_page(request: Request) -> HTMLResponse:
    return render(request, "portal/sign_up.html", values={}, errors={}, refusal=None)


@router.post("/inscription", dependencies=[Depends(csrf_checked)])
async def sign_up(request: Request, services: Api) -> Response:
    form = await request.form()
    values = form_values(form, *SIGN_UP_FIELDS)
    body = {name: value for name, value in values.items() if value and name != "address"}
    body["address_lines"] = [values["address"]] if values["address"] else []
    body["newsletter_consent"] = form.get("newsletter_consent") == "on"
    answer = await services.public("POST", "identity", "/sign-ups", json=body)
    if answer.status_code != 202:
        refusal = Refusal(answer)
        return render(request, "portal/sign_up.html", status_code=answer.status_code,
                      values={**values, "password": ""}, errors=refusal.fields, refusal=refusal.detail)
    return render(request, "portal/message.html",
                  message="Vérifiez votre boîte e-mail : un lien vous a été envoyé pour confirmer votre adresse.")


@router.get("/confirmation-inscription")
async def verification_page(request: Request, jeton: str = "") -> HTMLResponse:
    """A button, not an automatic confirmation: mail scanners open links, and only a person should confirm."""
    return render(request, "portal/verify.html", token=jeton)


@router.post("/confirmation-inscription", dependencies=[Depends(csrf_checked)])
async def verify(request: Request, services: Api) -> HTMLResponse:
    token = str((await request.form()).get("token", ""))
    answer = await services.public("POST", "identity", "/email-verifications", json={"token": token})
    if answer.status_code != 200:
        return render(request, "portal/message.html", status_code=answer.status_code,
                      message="Ce lien n'est plus valable.")
    return render(request, "portal/message.html", login_link=True,
                  message="Votre adresse e-mail est confirmée : vous pouvez vous connecter.")


@router.get("/connexion")
async def login_page(request: Request, suite: str | None = None) -> HTMLResponse:
    return render(request, "portal/login.html", suite=_next(suite), values={}, refusal=None)


@router.post("/connexion", dependencies=[Depends(csrf_checked)])
async def login(request: Request) -> Response:
    values = form_values(await request.form(), "email", "password", "suite")
    outcome = await log_in(request, values["email"], values["password"], "", lambda s: s.family)
    if isinstance(outcome, Refused):
        message = outcome.message or translator(request.state.language)("Ce compte n'est pas un compte famille.")
        return render(request, "portal/login.html", status_code=400, suite=_next(values["suite"]),
                      values={"email": values["email"]}, refusal=message)
    return see_other(_next(values["suite"]))


@router.post("/deconnexion", dependencies=[Depends(csrf_checked)])
async def logout(request: Request) -> Response:
    await log_out(request)
    return see_other("/")


@router.get("/espace")
async def family_space(request: Request, session: Family, services: Api, errors: dict | None = None,
                       refusal: str | None = None, values: dict | None = None, status_code: int = 200,
                       ) -> HTMLResponse:
    client_id = session.claims["client_id"]
    profile = await services.json(session, "clients", f"/clients/{client_id}/profile")
    participants = await services.json(session, "clients", f"/clients/{client_id}/participants", limit=100)
    orders = await services.json(session, "orders", "/orders", limit=20)
    invoices = await services.json(session, "billing", "/invoices", client_id=client_id, limit=20)
    return render(request, "portal/space.html", status_code=status_code, profile=profile, participants=participants,
                  orders=orders, invoices=invoices, statuses=STATUSES, errors=errors or {}, refusal=refusal,
                  values=values or {})


@router.post("/espace/participants", dependencies=[Depends(csrf_checked)])
async def add_participant(request: Request, session: Family, services: Api) -> Response:
    values = form_values(await request.form(), *PARTICIPANT_FIELDS)
    answer = await services.call(session, "POST", "clients", f"/clients/{session.claims['client_id']}/participants",
                                 json=participant_body(values))
    if answer.status_code != 201:
        refusal = Refusal(answer)
        return await family_space(request, session, services, errors=refusal.fields, refusal=refusal.detail,
                                  values=values, status_code=answer.status_code)
    return see_other("/espace?ok=participant")


@router.get("/commandes/{order_id}")
async def family_order(request: Request, session: Family, services: Api, order_id: str, session_id: str = "",
                       paiement: str = "") -> HTMLResponse:
    """Also where the payment provider sends the family back (orders' front_office_url): `?paiement=abandonne`."""
    order = await services.json(session, "orders", f"/orders/{order_id}")
    invoices = await services.json(session, "billing", "/invoices", client_id=session.claims["client_id"],
                                   order_id=order_id, limit=20)
    payment = None
    if session_id:
        payment = await services.json(session, "orders", f"/orders/{order_id}/payment-sessions/{session_id}")
    notice = "abandon" if paiement == "abandonne" else None
    return render(request, "portal/order.html", order=order, invoices=invoices, statuses=STATUSES, payment=payment,
                  idempotency_key=uuid.uuid4(), **({"notice": NOTICES[notice]} if notice else {}))


@router.post("/commandes/{order_id}/paiement-en-ligne", dependencies=[Depends(csrf_checked)])
async def pay_online(request: Request, session: Family, services: Api, order_id: str) -> Response:
    """Open the provider's page for what the option's deposit still lacks, or the balance once validated. The page
    then links to it: the gateway's policy lets a form lead only to this site."""
    form = await request.form()
    answer = await services.call(session, "POST", "orders", f"/orders/{order_id}/payment-sessions",
                                 json={"purpose": str(form.get("purpose", "balance"))},
                                 headers={"Idempotency-Key": str(form.get("idempotency_key", "")) or str(uuid.uuid4())})
    if answer.status_code != 201:
        raise Refusal(answer)
    return see_other(f"/commandes/{order_id}?session_id={answer.json()['id']}")


@router.get("/commandes/{order_id}/paiement")
async def paid_online(order_id: str, session: Family) -> Response:
    """The provider's return after paying: the payment counts only once its signed notification reaches orders."""
    return see_other(f"/commandes/{order_id}?ok=paiement")


@router.get("/espace/factures/{invoice_id}.pdf")
async def invoice_pdf(session: Family, services: Api, invoice_id: str) -> Response:
    return pdf_download(await services.call(session, "GET", "billing", f"/invoices/{invoice_id}/pdf"))


@router.get("/espace/avoirs/{credit_note_id}.pdf")
async def credit_note_pdf(session: Family, services: Api, credit_note_id: str) -> Response:
    return pdf_download(await services.call(session, "GET", "billing", f"/credit-notes/{credit_note_id}/pdf"))


HEALTH_FIELDS = ("allergies", "treatments", "diet", "medical_notes")


@router.get("/espace/participants/{participant_id}/sante")
async def health_page(request: Request, session: Family, services: Api, participant_id: str) -> HTMLResponse:
    """The family's own health form for its child: clients keeps it encrypted and shows it to staff only with the
    health data permission."""
    client_id = session.claims["client_id"]
    participant = await services.json(session, "clients", f"/clients/{client_id}/participants/{participant_id}")
    health = await services.json(session, "clients", f"/clients/{client_id}/participants/{participant_id}/health")
    return render(request, "portal/health.html", participant=participant, values=health, errors={}, refusal=None)


@router.post("/espace/participants/{participant_id}/sante", dependencies=[Depends(csrf_checked)])
async def save_health(request: Request, session: Family, services: Api, participant_id: str) -> Response:
    client_id = session.claims["client_id"]
    values = form_values(await request.form(), *HEALTH_FIELDS)
    path = f"/clients/{client_id}/participants/{participant_id}/health"
    answer = await services.call(session, "PUT", "clients", path,
                                 json={name: value or None for name, value in values.items()})
    if answer.status_code != 200:
        refusal = Refusal(answer)
        participant = await services.json(session, "clients", f"/clients/{client_id}/participants/{participant_id}")
        return render(request, "portal/health.html", status_code=answer.status_code, participant=participant,
                      values=values, errors=refusal.fields, refusal=refusal.detail)
    return see_other(f"/espace/participants/{participant_id}/sante?ok=sante")
