"""Public: subscribing to the newsletter, confirmed by the link mailed to the address."""
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from clients import newsletter
from clients.api import Email, PersonName
from clients.record_models import NO_NUL
from shared.app import UoW
from shared.problems import Problem

router = APIRouter(tags=["newsletter"])


class SubscriptionIn(BaseModel):
    """Either an e-mail (a name may go with it), to be mailed a confirmation link, or that link's token."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    email: Email | None = None
    last_name: PersonName | None = None
    first_name: PersonName | None = None
    token: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL, description="From the link mailed.")] \
        | None = None


class Requested(BaseModel):
    detail: str = Field(examples=["A confirmation link has been mailed to this address."])


class Subscribed(BaseModel):
    email: str


def _invalid(field: str, message: str) -> Problem:
    return Problem(422, "invalid_request", "Invalid request", f"body.{field}: {message}",
                   errors=[{"field": f"body.{field}", "message": message, "type": "value_error"}])


@router.post("/newsletter-subscriptions", response_model=Subscribed,
             summary="Subscribe to the newsletter: with an e-mail, a confirmation link is mailed; with its token, the "
                     "subscription counts (a prospect is created for an address no client has).",
             responses={202: {"model": Requested}, 409: {"description": "subscription_token_invalid"}})
async def subscribe(body: SubscriptionIn, request: Request, uow: UoW):
    if body.token is not None:
        if body.email or body.last_name or body.first_name:
            raise _invalid("token", "Send the token alone.")
        email = await newsletter.confirm(uow, body.token)
        await uow.commit()
        return Subscribed(email=email)
    if body.email is None:
        raise _invalid("email", "Field required")
    ttl = timedelta(hours=request.app.state.settings.newsletter_link_hours)
    await newsletter.request(uow, body.email, body.last_name, body.first_name, ttl)
    await uow.commit()
    return JSONResponse(Requested(detail="A confirmation link has been mailed to this address.").model_dump(),
                        status_code=202)
