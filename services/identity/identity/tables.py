"""The identity service's tables: accounts, their sessions with the rotating refresh tokens, and reset links.

One table holds every account, staff and front office alike: a front-office account (client, legal guardian,
reseller) names its client and guardian, and logs in with its e-mail or its client code (`login`).
"""
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String
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
