"""Forgotten passwords and the links identity mails (`/mot-de-passe?jeton=`): families' on the portal, staff's
under /bo/ (notifications' front_office_url and back_office_url)."""
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from web.pages import Api, csrf_checked, render
from web.services import Refusal

router = APIRouter(include_in_schema=False)


def _area(request: Request) -> str:
    return "/bo" if request.url.path.startswith("/bo/") else ""


@router.get("/mot-de-passe-oublie")
@router.get("/bo/mot-de-passe-oublie")
async def forgotten_page(request: Request) -> HTMLResponse:
    return render(request, "password_forgotten.html", area=_area(request), sent=False)


@router.post("/mot-de-passe-oublie", dependencies=[Depends(csrf_checked)])
@router.post("/bo/mot-de-passe-oublie", dependencies=[Depends(csrf_checked)])
async def forgotten(request: Request, services: Api) -> HTMLResponse:
    """Identity answers the same whether the address is known or not; so does this page."""
    email = str((await request.form()).get("email", "")).strip()
    await services.public("POST", "identity", "/password-resets", json={"email": email})
    return render(request, "password_forgotten.html", area=_area(request), sent=True)


@router.get("/mot-de-passe")
@router.get("/bo/mot-de-passe")
async def choose_page(request: Request, jeton: str = "") -> HTMLResponse:
    return render(request, "password_choose.html", area=_area(request), token=jeton, refusal=None, errors={},
                  done=False)


@router.post("/mot-de-passe", dependencies=[Depends(csrf_checked)])
@router.post("/bo/mot-de-passe", dependencies=[Depends(csrf_checked)])
async def choose(request: Request, services: Api) -> HTMLResponse:
    form = await request.form()
    token, password = str(form.get("token", "")), str(form.get("password", ""))
    answer = await services.public("POST", "identity", "/password-resets", json={"token": token, "password": password})
    if answer.status_code >= 400:
        refusal = Refusal(answer)
        return render(request, "password_choose.html", status_code=answer.status_code, area=_area(request),
                      token=token, refusal=refusal.detail, errors=refusal.fields, done=False)
    return render(request, "password_choose.html", area=_area(request), token="", refusal=None, errors={}, done=True)
