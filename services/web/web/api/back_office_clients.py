"""Back-office clients: search as you type, the client record and its tabs, creating and editing a client."""
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from web.api.schemas import CLIENT_FIELDS, STATUSES, client_body, client_values
from web.pages import Api, Seller, Staff, csrf_checked, form_values, render, see_other
from web.services import Refusal

router = APIRouter(prefix="/bo/clients", include_in_schema=False)
TABS = {"identite": "Identité", "responsables": "Responsables légaux", "participants": "Participants",
        "contacts": "Contacts", "consentements": "Consentements", "commandes": "Commandes", "factures": "Factures",
        "portefeuille": "Portefeuille", "emails": "E-mails", "historique": "Historique"}
PAGES = {"responsables": ("clients", "/clients/{id}/legal-guardians", {}),
         "participants": ("clients", "/clients/{id}/participants", {}),
         "contacts": ("clients", "/clients/{id}/contacts", {}),
         "commandes": ("orders", "/orders", {"client_id": "{id}"}),
         "factures": ("billing", "/invoices", {"client_id": "{id}"}),
         "emails": ("notifications", "/emails", {"client_id": "{id}"}),
         "historique": ("clients", "/clients/{id}/history", {})}
"""Each tab's list, read a page at a time with the API's cursor."""
PAGE = 20


KINDS = {"private": "Particulier", "professional": "Professionnel", "prospect": "Prospect"}


@router.get("")
async def search_page(request: Request, session: Staff, services: Api, q: str = "", kind: str = "",
                      disputed: str = "", cursor: str | None = None) -> HTMLResponse:
    filters = _filters(kind, disputed)
    page = await _search(session, services, q, filters, cursor)
    return render(request, "bo/clients.html", q=q, page=page, filters=filters, kinds=KINDS)


@router.get("/resultats")
async def search_results(request: Request, session: Staff, services: Api, q: str = "", kind: str = "",
                         disputed: str = "", cursor: str | None = None) -> HTMLResponse:
    """The results alone, for htmx: the search box and its filters ask for them as the user types."""
    filters = _filters(kind, disputed)
    page = await _search(session, services, q, filters, cursor)
    return render(request, "bo/client_results.html", q=q, page=page, filters=filters)


def _filters(kind: str, disputed: str) -> dict[str, str]:
    return {**({"kind": kind} if kind in KINDS else {}), **({"disputed": "true"} if disputed else {})}


async def _search(session, services, q: str, filters: dict[str, str], cursor: str | None):
    if not q.strip() and not filters:
        return None
    return await services.json(session, "clients", "/clients", q=q.strip() or None, limit=PAGE, cursor=cursor,
                               **filters)


@router.get("/nouveau")
async def new_page(request: Request, session: Seller) -> HTMLResponse:
    return render(request, "bo/client_form.html", client=None, values={"kind": "private"}, errors={}, refusal=None)


@router.post("", dependencies=[Depends(csrf_checked)])
async def create(request: Request, session: Seller, services: Api) -> Response:
    values = form_values(await request.form(), *CLIENT_FIELDS)
    answer = await services.call(session, "POST", "clients", "/clients", json=client_body(values))
    if answer.status_code != 201:
        refusal = Refusal(answer)
        return render(request, "bo/client_form.html", status_code=answer.status_code, client=None, values=values,
                      errors=refusal.fields, refusal=refusal.detail)
    return see_other(f"/bo/clients/{answer.json()['id']}?ok=client")


@router.get("/{client_id}")
async def record(request: Request, session: Staff, services: Api, client_id: str, onglet: str = "identite",
                 cursor: str | None = None) -> HTMLResponse:
    client = await services.json(session, "clients", f"/clients/{client_id}")
    tab = onglet if onglet in TABS else "identite"
    page = None
    if tab in PAGES:
        service, path, params = PAGES[tab]
        page = await services.json(session, service, path.format(id=client_id), limit=PAGE, cursor=cursor,
                                   **{name: value.format(id=client_id) for name, value in params.items()})
    elif tab == "consentements":
        page = await services.json(session, "clients", f"/clients/{client_id}/consents")
    elif tab == "portefeuille":
        page = await services.json(session, "clients", f"/clients/{client_id}/wallet", limit=PAGE)
    return render(request, "bo/client.html", client=client, tab=tab, tabs=TABS, page=page, statuses=STATUSES)


@router.get("/{client_id}/modifier")
async def edit_page(request: Request, session: Seller, services: Api, client_id: str) -> HTMLResponse:
    client = await services.json(session, "clients", f"/clients/{client_id}")
    return render(request, "bo/client_form.html", client=client, values=client_values(client), errors={},
                  refusal=None)


@router.post("/{client_id}", dependencies=[Depends(csrf_checked)])
async def edit(request: Request, session: Seller, services: Api, client_id: str) -> Response:
    form = await request.form()
    values = form_values(form, *CLIENT_FIELDS)
    flags = {name: form.get(name) == "on" for name in ("disputed", "blocked")}
    body = {**{name: values[name] or None for name in CLIENT_FIELDS if name not in ("kind", "address")},
            "kind": values["kind"], "address_lines": [values["address"]] if values["address"] else [], **flags}
    answer = await services.call(session, "PATCH", "clients", f"/clients/{client_id}", json=body)
    if answer.status_code != 200:
        refusal = Refusal(answer)
        client = await services.json(session, "clients", f"/clients/{client_id}")
        return render(request, "bo/client_form.html", status_code=answer.status_code, client=client,
                      values={**values, **flags}, errors=refusal.fields, refusal=refusal.detail)
    return see_other(f"/bo/clients/{client_id}?ok=client")



@router.get("/{client_id}/participants/{participant_id}/sante")
async def health(request: Request, session: Staff, services: Api, client_id: str, participant_id: str
                 ) -> HTMLResponse:
    """Only for staff with the health data permission: the others are not shown the link, and clients refuses them."""
    client = await services.json(session, "clients", f"/clients/{client_id}")
    participant = await services.json(session, "clients", f"/clients/{client_id}/participants/{participant_id}")
    form = await services.json(session, "clients", f"/clients/{client_id}/participants/{participant_id}/health")
    return render(request, "bo/health.html", client=client, participant=participant, health=form)
