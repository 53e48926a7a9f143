"""The identity service's tables: accounts, their sessions with the rotating refresh tokens, reset and verification
links, families' sign-ups, and the copy of clients' data that decides front-office logins.

One table holds every account, staff and front office alike: a front-office account (client, legal guardian,
reseller) names its client and guardian, and logs in with its e-mail or its client's code.
"""
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.auth import FRONT_OFFICE_ROLES, STAFF_ROLES
from shared.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint(f"role IN ({_listed(STAFF_ROLES + FRONT_OFFICE_ROLES)})", name="role_known"),
        CheckConstraint(f"(role IN ({_listed(FRONT_OFFICE_ROLES)})) = (client_id IS NOT NULL)",
                        name="front_office_has_client"),
        CheckConstraint("(role = 'legal_guardian') = (guardian_id IS NOT NULL)", name="guardian_has_guardian_id"),
        CheckConstraint("failed_logins >= 0", name="failed_logins_not_negative"),
        CheckConstraint("NOT pending_verification OR role = 'client'", name="only_families_sign_up"),
        Index("uq_accounts_client_own", "client_id", unique=True, postgresql_where=text("role <> 'legal_guardian'")),
        Index("uq_accounts_guardian_id", "guardian_id", unique=True),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    login: Mapped[str] = mapped_column(String(254), unique=True)
    """What the account logs in with, lower-cased: its e-mail (or, in the front office, a client code)."""
    email: Mapped[str] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), index=True)
    permissions: Mapped[list[str]] = mapped_column(JSONB, default=list)
    client_id: Mapped[UUID | None] = mapped_column(index=True)
    guardian_id: Mapped[UUID | None]
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """argon2; null until the account's owner chooses a password with the link mailed to it."""
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    """The time step of the last code accepted: a code is never accepted twice."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pending_verification: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    """A family's sign-up whose e-mail is not proven yet: it may not log in, and its client does not exist yet."""


class Session(Base):
    """One login, kept alive by its rotating refresh tokens (their family) until it expires or is revoked."""

    __tablename__ = "sessions"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    account_id: Mapped[UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(40))


class RefreshToken(Base):
    """Only the SHA-256 of a refresh token is kept: a database dump gives nobody a session."""

    __tablename__ = "refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[UUID] = mapped_column(ForeignKey("sessions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PasswordReset(Base):
    """A single-use link to choose a password; only its hash is kept, the token travels in the mail."""

    __tablename__ = "password_resets"
    __table_args__ = (CheckConstraint("expires_at > created_at", name="expires_after_creation"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    account_id: Mapped[UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignUp(Base):
    """What a family typed when signing up, kept until it proves its e-mail, then announced to clients and dropped."""

    __tablename__ = "sign_ups"

    account_id: Mapped[UUID] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EmailVerification(Base):
    """A single-use link proving a sign-up's e-mail; only its hash is kept, the token travels in the mail."""

    __tablename__ = "email_verifications"
    __table_args__ = (CheckConstraint("expires_at > created_at", name="expires_after_creation"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    account_id: Mapped[UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ClientRecord(Base):
    """A client as clients last announced it (its events), as much as a front-office login needs."""

    __tablename__ = "clients"
    __table_args__ = (Index("ix_clients_client_code", "client_code"),)

    client_id: Mapped[UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    client_type_id: Mapped[UUID | None]
    display_name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    client_code: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean)
    inactive_message: Mapped[str | None] = mapped_column(String(500))
    blocked: Mapped[bool] = mapped_column(Boolean)
    deleted: Mapped[bool] = mapped_column(Boolean)
    anonymised: Mapped[bool] = mapped_column(Boolean)
    guardians: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    """Its legal guardians: id, name and e-mail of each."""


class ClientTypeRecord(Base):
    """A client type's flags as clients last announced them."""

    __tablename__ = "client_types"

    client_type_id: Mapped[UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    front_office_account_allowed: Mapped[bool] = mapped_column(Boolean)
    front_office_ordering_allowed: Mapped[bool] = mapped_column(Boolean)
    legal_guardian_accounts: Mapped[bool] = mapped_column(Boolean)
