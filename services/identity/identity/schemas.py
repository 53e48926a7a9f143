"""Request and response models of the identity service."""
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from identity.domain.accounts import MIN_PASSWORD_LENGTH
from identity.tables import Account, Session
from shared.auth import Permission

NO_NUL = r"^[^\x00]*$"
StaffRole = Literal["admin", "operator", "accountant", "manager"]
FrontOfficeRole = Literal["client", "legal_guardian", "reseller"]
Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=200, pattern=NO_NUL,
                                description=f"At least {MIN_PASSWORD_LENGTH} characters.")]
# No control character either: an SMTP server refuses them, and a mail to such an address would never leave.
Email = Annotated[str, Field(max_length=254,
                             pattern=r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$",
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


class AccountIn(BaseModel):
    """An account given by staff: to a client (`client`), to a professional client that resells (`reseller`) or to
    one of a client's legal guardians (`legal_guardian`, naming it). Its login is the person's e-mail in clients; a
    link to choose the password is mailed to it."""

    model_config = ConfigDict(extra="forbid")
    client_id: UUID
    role: FrontOfficeRole = "client"
    guardian_id: UUID | None = Field(None, validate_default=True,
                                     description="Required for a legal guardian's account, only for it.")

    @field_validator("guardian_id")
    @classmethod
    def _guardian_named(cls, guardian_id: UUID | None, info: ValidationInfo) -> UUID | None:
        if (info.data.get("role") == "legal_guardian") != (guardian_id is not None):
            raise ValueError("A legal_guardian account names its legal guardian, and only it does.")
        return guardian_id


class AccountOut(BaseModel):
    id: UUID
    email: str
    display_name: str
    role: str
    client_id: UUID
    guardian_id: UUID | None
    active: bool
    password_set: bool = Field(description="False until its owner chooses a password with the link mailed to it.")
    locked_until: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, account: Account) -> "AccountOut":
        assert account.client_id is not None
        return cls(id=account.id, email=account.email, display_name=account.display_name, role=account.role,
                   client_id=account.client_id, guardian_id=account.guardian_id, active=account.disabled_at is None,
                   password_set=account.password_hash is not None, locked_until=account.locked_until,
                   created_at=account.created_at, updated_at=account.updated_at)


Civility = Annotated[str, Field(max_length=20, pattern=NO_NUL, examples=["Mme"])]
PersonName = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00]*\S[^\x00]*$")]
Phone = Annotated[str, Field(max_length=30, pattern=r"^\+?[0-9 .()-]{6,30}$", examples=["06 12 34 56 78"])]


class SignUpDetails(BaseModel):
    """What a new family tells of itself (seeds 000 and 003): who signs, how to reach it, its consents (optional)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    civility: Civility | None = None
    last_name: PersonName = Field(examples=["Martin"])
    first_name: PersonName = Field(examples=["Claire"])
    mobile: Phone | None = None
    address_lines: list[Annotated[str, Field(max_length=200, pattern=NO_NUL)]] = Field(
        [], max_length=4, examples=[["3 rue des Lilas"]])
    country: str = Field("FR", pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2 code.")
    postal_code: Annotated[str, Field(max_length=20, pattern=NO_NUL)] | None = Field(None, examples=["69003"])
    city: Annotated[str, Field(max_length=100, pattern=NO_NUL)] | None = Field(None, examples=["Lyon"])
    newsletter_consent: bool = Field(False, description="Agrees to receive the newsletter.")
    partner_offers_consent: bool = Field(False, description="Agrees to receive partners' offers.")

    @field_validator("country")
    @classmethod
    def _upper(cls, country: str) -> str:
        return country.upper()

    @field_validator("postal_code")
    @classmethod
    def _french_postal_code(cls, postal_code: str | None, info: ValidationInfo) -> str | None:
        """As clients checks it, so that the client it creates from the sign-up is valid."""
        if info.data.get("country") == "FR" and postal_code and not (len(postal_code) == 5 and postal_code.isdigit()):
            raise ValueError("A French postal code has 5 digits.")
        return postal_code


class SignUpIn(SignUpDetails):
    email: Email = Field(examples=["claire.martin@example.fr"])
    password: Password


class Accepted(BaseModel):
    """The same answer whatever the e-mail: nobody learns from it whether an account exists."""

    detail: str = Field(examples=["If this address can be used, a message has been sent to it: follow its link."])


LinkToken = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL, description="From the link mailed.")]


class VerificationIn(BaseModel):
    """Either the token of the link mailed, to verify the e-mail, or the e-mail, to be mailed a new link."""

    model_config = ConfigDict(extra="forbid")
    token: LinkToken | None = None
    email: Email | None = None


class PasswordResetIn(BaseModel):
    """Either an e-mail, to be mailed a link, or the token of the link mailed with the new password."""

    model_config = ConfigDict(extra="forbid")
    email: Email | None = None
    token: LinkToken | None = None
    password: Password | None = None


class VerifiedOut(BaseModel):
    account_id: UUID
    client_id: UUID
    email: str
