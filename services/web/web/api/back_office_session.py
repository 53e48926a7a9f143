"""Staff login and logout."""
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from web.i18n import translator
from web.login import Refused, log_in, log_out
from web.pages import csrf_checked, form_values, render, see_other

router = APIRouter(prefix="/bo", include_in_schema=False)


def _next(suite: str | None) -> str:
    return suite if suite and suite.startswith("/bo/") else "/bo/"


@router.get("/connexion")
async def login_page(request: Request, suite: str | None = None) -> HTMLResponse:
    return render(request, "bo/login.html", suite=_next(suite), values={}, refusal=None, needs_totp=False)


@router.post("/connexion", dependencies=[Depends(csrf_checked)])
async def login(request: Request) -> Response:
    form = await request.form()
    values = form_values(form, "email", "password", "totp", "suite")
    outcome = await log_in(request, values["email"], values["password"], values["totp"], lambda s: s.staff)
    if isinstance(outcome, Refused):
        message = outcome.message or translator(request.state.language)("Ce compte n'est pas un compte du personnel.")
        return render(request, "bo/login.html", status_code=400, suite=_next(values["suite"]),
                      values={"email": values["email"]}, refusal=message, needs_totp=outcome.needs_totp)
    return see_other(_next(values["suite"]))


@router.post("/deconnexion", dependencies=[Depends(csrf_checked)])
async def logout(request: Request) -> Response:
    await log_out(request)
    return see_other("/bo/connexion")
