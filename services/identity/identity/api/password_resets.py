"""Public, since their owner cannot log in: asking for a password link by e-mail (families), and choosing the
password with the single-use link mailed (anyone given one)."""
from datetime import timedelta

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from identity import accounts, sign_ups
from identity.api.sign_ups import SENT, verification_ttl
from identity.api.tokens import missing, one_of
from identity.schemas import Accepted, PasswordResetIn
from shared.app import UoW

router = APIRouter(tags=["password resets"])


@router.post("/password-resets", status_code=204,
             summary="With an e-mail, mail a family a link to choose a new password; with the link's token and a "
                     "password, choose it (every session ends).",
             responses={202: {"model": Accepted, "description": "An e-mail was given: the same answer in every case."},
                        409: {"description": "reset_token_invalid: expired or already used"}})
async def password_reset(body: PasswordResetIn, request: Request, uow: UoW) -> Response:
    if body.email is not None:
        if body.token is not None or body.password is not None:
            raise one_of("an e-mail", "a token with a password")
        ttl = timedelta(minutes=request.app.state.settings.password_reset_ttl_minutes)
        await sign_ups.request_password_reset(uow, body.email, ttl, verification_ttl(request))
        await uow.commit()
        return JSONResponse(SENT.model_dump(), status_code=202)
    if body.token is None or body.password is None:
        raise missing(*[n for n, v in (("token", body.token), ("password", body.password)) if v is None],
                      what="Choosing a password")
    await accounts.reset_password(uow, body.token, body.password)
    await uow.commit()
    return Response(status_code=204)
