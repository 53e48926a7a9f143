"""A family's sign-up, public: the account waits for its e-mail to be proven by the link mailed, then logs in.

Every answer to an e-mail typed is the same, whether an account has it or not: its owner learns by mail what
happened, nobody else."""
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from identity import sign_ups
from identity.api.tokens import missing, one_of
from identity.schemas import Accepted, SignUpDetails, SignUpIn, VerificationIn, VerifiedOut
from shared.app import UoW

router = APIRouter(tags=["sign-ups"])
SENT = Accepted(detail="If this address can be used, a message has been sent to it: follow its link.")


def verification_ttl(request: Request) -> timedelta:
    return timedelta(hours=request.app.state.settings.email_verification_hours)


@router.post("/sign-ups", status_code=202, summary="Sign a family up: a link to verify its e-mail is mailed to it.")
async def sign_up(body: SignUpIn, request: Request, uow: UoW) -> Accepted:
    details = body.model_dump(mode="json", include=set(SignUpDetails.model_fields))
    await sign_ups.sign_up(uow, body.email, body.password, details, verification_ttl(request))
    await uow.commit()
    return SENT


@router.post("/email-verifications", response_model=VerifiedOut,
             summary="With the token of the link mailed, verify a sign-up's e-mail; with an e-mail, mail a new link.",
             responses={202: {"model": Accepted, "description": "An e-mail was given: the same answer in every case."},
                        409: {"description": "verification_token_invalid: expired, already used or superseded"}})
async def email_verification(body: VerificationIn, request: Request, uow: UoW):
    if body.token is not None and body.email is not None:
        raise one_of("a token", "an e-mail")
    if body.email is not None:
        await sign_ups.resend_verification(uow, body.email, verification_ttl(request))
        await uow.commit()
        return JSONResponse(SENT.model_dump(), status_code=202)
    if body.token is None:
        raise missing("token", what="Verifying an e-mail")
    account = await sign_ups.verify(uow, body.token)
    await uow.commit()
    assert account.client_id is not None
    return VerifiedOut(account_id=account.id, client_id=account.client_id, email=account.email)
