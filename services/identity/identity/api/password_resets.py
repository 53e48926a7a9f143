"""Choosing a password with the single-use link mailed: public, since its owner cannot log in yet."""
from fastapi import APIRouter, Response

from identity import accounts
from identity.schemas import NewPasswordIn
from shared.app import UoW

router = APIRouter(tags=["password resets"])


@router.post("/password-resets", status_code=204, summary="Choose a password with the token of a link mailed.",
             responses={409: {"description": "reset_token_invalid: expired or already used"}})
async def reset_password(body: NewPasswordIn, uow: UoW) -> Response:
    await accounts.reset_password(uow, body.token, body.password)
    await uow.commit()
    return Response(status_code=204)
