"""HTTP routes of front-office accounts: password, login check (for the gateway), reset links."""
from datetime import datetime, timedelta
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from clients import front_office_services as accounts
from clients.domain.front_office import MIN_PASSWORD_LENGTH, LoginRefused
from clients.domain.record import display_name
from clients.record_models import NO_NUL
from clients.services import details_of
from shared.app import UoW
from shared.auth import BackOffice, CurrentPrincipal, Staff
from shared.problems import Problem

router = APIRouter(tags=["front-office accounts"])
Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=200, pattern=NO_NUL,
                                description=f"At least {MIN_PASSWORD_LENGTH} characters.")]


class PasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: Password


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    login: str = Field(min_length=1, max_length=254, pattern=NO_NUL, description="E-mail or client code.")
    password: str = Field(min_length=1, max_length=200, pattern=NO_NUL)


class LoginOut(BaseModel):
    client_id: UUID
    role: Literal["client", "legal_guardian"] = Field(description="Whose account logged in.")
    guardian_id: UUID | None = Field(description="The legal guardian who logged in, on its client's account.")
    display_name: str
    welcome_message: str | None = Field(description="To show the client now.")


class ResetOut(BaseModel):
    reset_id: UUID
    expires_at: datetime


class NewPasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    password: Password


@router.put("/clients/{client_id}/password", status_code=204,
            summary="Set the front-office password (staff, or the client itself).")
async def set_password(client_id: UUID, body: PasswordIn, uow: UoW, who: CurrentPrincipal) -> None:
    if who.role not in ("admin", "operator") and not (who.role == "client" and who.client_id == str(client_id)):
        raise Problem(403, "forbidden", "Forbidden", "Only staff or the client itself may set this password.")
    await accounts.set_password(uow, client_id, body.password)
    await uow.commit()


@router.put("/clients/{client_id}/legal-guardians/{guardian_id}/password", status_code=204,
            summary="Set a legal guardian's front-office password.")
async def set_guardian_password(client_id: UUID, guardian_id: UUID, body: PasswordIn, uow: UoW, _: Staff) -> None:
    await accounts.set_guardian_password(uow, client_id, guardian_id, body.password)
    await uow.commit()


@router.post("/front-office/logins", summary="Check a front-office login (for the gateway).")
async def log_in(body: LoginIn, uow: UoW, _: BackOffice) -> LoginOut:
    """401 when the login or password is wrong; 403 with a message to show when the account may not
    log in (inactive, or its client type sends it to customer service)."""
    try:
        client, guardian = await accounts.log_in(uow, body.login, body.password)
    except LoginRefused as refused:
        raise Problem(403, refused.code, "Login refused", refused.message) from refused
    name = " ".join(filter(None, (guardian.first_name, guardian.last_name))) if guardian else None
    return LoginOut(client_id=client.id, role="legal_guardian" if guardian else "client",
                    guardian_id=guardian.id if guardian else None,
                    display_name=name or display_name(details_of(client)), welcome_message=client.welcome_message)


@router.post("/clients/{client_id}/password-reset", status_code=201,
             summary="Generate and send a new password: a single-use link mailed to the client.")
async def request_reset(client_id: UUID, request: Request, uow: UoW, _: Staff) -> ResetOut:
    ttl = timedelta(minutes=request.app.state.settings.password_reset_ttl_minutes)
    reset = await accounts.request_reset(uow, client_id, ttl)
    await uow.commit()
    return ResetOut(reset_id=reset.id, expires_at=reset.expires_at)


@router.post("/clients/{client_id}/legal-guardians/{guardian_id}/password-reset", status_code=201,
             summary="Generate and send a new password: a single-use link mailed to the legal guardian.")
async def request_guardian_reset(client_id: UUID, guardian_id: UUID, request: Request, uow: UoW, _: Staff
                                 ) -> ResetOut:
    ttl = timedelta(minutes=request.app.state.settings.password_reset_ttl_minutes)
    reset = await accounts.request_reset(uow, client_id, ttl, guardian_id)
    await uow.commit()
    return ResetOut(reset_id=reset.id, expires_at=reset.expires_at)


@router.post("/password-resets", status_code=204, summary="Choose a new password with a reset link's token (a client's or a guardian's).")
async def reset_password(body: NewPasswordIn, uow: UoW, _: BackOffice) -> None:
    await accounts.reset_password(uow, body.token, body.password)
    await uow.commit()
