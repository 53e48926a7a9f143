"""Request and response models of the identity service."""
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from identity.domain.accounts import MIN_PASSWORD_LENGTH
from identity.tables import Account, Session
from shared.auth import Permission

NO_NUL = r"^[^\x00]*$"
StaffRole = Literal["admin", "operator", "accountant", "manager"]
Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=200, pattern=NO_NUL,
                                description=f"At least {MIN_PASSWORD_LENGTH} characters.")]
Email = Annotated[str, Field(max_length=254, pattern=r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$",
                             description="Also the login; a company's internal domain (colo.local) is accepted.")]
TotpCode = Annotated[str, Field(pattern=r"^\d{6}$", description="The 6 digits the authenticator app shows.")]


class TokenOut(BaseModel):
    """RFC 6749's answer: the access token and, for a user, the refresh token that renews it once."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Seconds the access token lives.")
    refresh_token: str | None = Field(None, description="Single use: each renewal gives a new one.")


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Email = Field(examples=["claire.dupont@colo.local"])
    display_name: str = Field(min_length=1, max_length=200, pattern=r"\S", examples=["Claire Dupont"])
    role: StaffRole
    permissions: list[Permission] = Field([], max_length=10, examples=[["health_data"]])
    password: Password | None = Field(None, description="Omitted: a link to choose it is mailed to the user.")


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    display_name: str | None = Field(None, min_length=1, max_length=200, pattern=r"\S")
    role: StaffRole | None = None
    permissions: list[Permission] | None = Field(None, max_length=10)


class UserOut(BaseModel):
    id: UUID
    email: str
    display_name: str
    role: str
    permissions: list[str]
    active: bool
    password_set: bool = Field(description="False until the user chooses a password with the link mailed to it.")
    second_factor: bool
    locked_until: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, account: Account) -> "UserOut":
        return cls(id=account.id, email=account.email, display_name=account.display_name, role=account.role,
                   permissions=list(account.permissions), active=account.disabled_at is None,
                   password_set=account.password_hash is not None, second_factor=account.totp_enabled,
                   locked_until=account.locked_until, created_at=account.created_at, updated_at=account.updated_at)


class SessionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    user_agent: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, session: Session) -> "SessionOut":
        return cls.model_validate(session)


class ResetOut(BaseModel):
    reset_id: UUID
    expires_at: datetime


class NewPasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=200, pattern=NO_NUL, description="From the link mailed.")
    password: Password


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    new_password: Password


class EnrolmentOut(BaseModel):
    secret: str = Field(description="Base32, to type into the authenticator app if it cannot scan the URI.")
    otpauth_uri: str = Field(description="Shown as a QR code for the authenticator app.")


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: TotpCode


class UserInfoOut(BaseModel):
    """OpenID Connect's userinfo, with Colo's role and permissions."""

    sub: str
    email: str | None = None
    name: str | None = None
    role: str
    perms: list[str]
    client_id: str | None = None
    guardian_id: str | None = None
