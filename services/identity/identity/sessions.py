"""Use cases of logins and sessions: the password, refresh-token and client-credentials grants, revocation.

A failed login is recorded (and may lock the account) before the failure is raised: the caller commits in both cases.
A front-office account whose password is right may still be refused, with a message for the person, by what clients
last said of its client (identity.front_office); a session of one is refused the same way at its renewal.
"""
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select

from identity import front_office
from identity.accounts import get_account
from identity.domain.accounts import Failures, LockoutPolicy, after_failure, ensure_may_log_in
from identity.domain.second_factor import matching_step
from identity.domain.sessions import Refresh, refresh_outcome
from identity.keys import KeyRing
from identity.passwords import new_token, same_secret, token_hash, verify_password
from identity.tables import Account, RefreshToken, Session
from shared.auth import Principal, issue_token
from shared.clock import SystemClock
from shared.db import UnitOfWork
from shared.logging import log
from shared.pagination import keyset_page


class InvalidGrant(Exception):
    """The credentials or the refresh token are not valid (OAuth2 `invalid_grant`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class SecondFactorRequired(Exception):
    """The password is right; this account also needs the code of its authenticator app."""


@dataclass(frozen=True)
class Issued:
    access_token: str
    expires_in: int
    refresh_token: str | None = None


def principal_of(account: Account) -> Principal:
    return Principal(sub=str(account.id), role=account.role, email=account.email, name=account.display_name,
                     perms=list(account.permissions), client_id=str(account.client_id) if account.client_id else None,
                     guardian_id=str(account.guardian_id) if account.guardian_id else None)


def access_token(keys: KeyRing, settings: Any, principal: Principal, **extra: Any) -> Issued:
    """Dated by the real time whatever the service's clock says: a token's life is wall time, which every verifier
    checks, and one dated by a demonstration clock moved ahead would stay valid that much longer."""
    ttl = timedelta(minutes=settings.access_token_minutes)
    token = issue_token(keys.signer, settings.token_issuer, settings.token_audience, principal, SystemClock().now(),
                        ttl, **extra)
    return Issued(token, int(ttl.total_seconds()))


def _invalid_credentials() -> InvalidGrant:
    return InvalidGrant("invalid_credentials", "The e-mail or the password is wrong.")


async def log_in(uow: UnitOfWork, settings: Any, login: str, password: str, totp: str | None, user_agent: str
                 ) -> tuple[Account, Session, str]:
    """The account, its new session and the session's first refresh token. A family may log in with its client
    code instead of its e-mail."""
    account = await uow.session.scalar(
        select(Account).where(Account.login == login.strip().lower()).with_for_update())
    if account is None and "@" not in login:
        account = await front_office.find_by_client_code(uow, login)
    now = uow.clock.now()
    if account is None:
        await verify_password(None, password)
        raise _invalid_credentials()
    ensure_may_log_in(account.disabled_at is not None, account.locked_until, now)
    if not await verify_password(account.password_hash, password):
        _failed(account, settings, now)
        raise _invalid_credentials()
    if (refusal := await front_office.login_refusal_for(uow, account)) is not None:
        raise refusal
    if account.totp_enabled and account.totp_secret:
        if not totp:
            raise SecondFactorRequired()
        step = matching_step(account.totp_secret, totp, now, account.totp_last_step)
        if step is None:
            _failed(account, settings, now)
            raise InvalidGrant("totp_invalid", "The code of the authenticator app is wrong or was already used.")
        account.totp_last_step = step
    account.failed_logins, account.locked_until = 0, None
    session = Session(account_id=account.id, user_agent=user_agent[:300], created_at=now, last_used_at=now,
                      expires_at=now + timedelta(days=settings.refresh_token_days))
    uow.session.add(session)
    await uow.session.flush()
    return account, session, _new_refresh_token(uow, session)


def _failed(account: Account, settings: Any, now: Any) -> None:
    policy = LockoutPolicy(settings.lockout_attempts, timedelta(minutes=settings.lockout_minutes))
    failures = after_failure(Failures(account.failed_logins, account.locked_until), now, policy)
    account.failed_logins, account.locked_until = failures.count, failures.locked_until
    if failures.locked_until is not None:
        log.warning("identity.account_locked", account_id=str(account.id), until=failures.locked_until.isoformat())


def _new_refresh_token(uow: UnitOfWork, session: Session) -> str:
    token = new_token()
    uow.session.add(RefreshToken(token_hash=token_hash(token), session_id=session.id, created_at=uow.clock.now(),
                                 expires_at=session.expires_at))
    return token


async def refresh(uow: UnitOfWork, settings: Any, token: str) -> tuple[Account, Session, str]:
    """Spend the refresh token for a new one; an already spent one revokes its whole session."""
    row = await uow.session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash(token)).with_for_update())
    if row is None:
        raise InvalidGrant("refresh_token_invalid", "This refresh token is unknown: log in again.")
    session = await uow.session.get(Session, row.session_id, with_for_update=True)
    assert session is not None
    now = uow.clock.now()
    outcome = refresh_outcome(row.used_at, row.expires_at, session.revoked_at is not None, now)
    if outcome is Refresh.REUSED:
        log.warning("identity.refresh_token_reused", session_id=str(session.id), account_id=str(session.account_id))
        session.revoked_at, session.revoked_reason = now, "refresh_token_reused"
    if outcome is not Refresh.ROTATE:
        raise InvalidGrant(f"refresh_token_{outcome.value}", "This session has ended: log in again.")
    account = await get_account(uow, session.account_id)
    if account.disabled_at is not None:
        raise InvalidGrant("account_disabled", "This account is disabled; ask an administrator.")
    if (refusal := await front_office.login_refusal_for(uow, account)) is not None:
        raise InvalidGrant(refusal.code, refusal.message)
    row.used_at, session.last_used_at = now, now
    session.expires_at = now + timedelta(days=settings.refresh_token_days)
    return account, session, _new_refresh_token(uow, session)


def service_principal(settings: Any, client_id: str, client_secret: str) -> Principal:
    """The principal of a service authenticated by its client secret (the client_credentials grant)."""
    expected = settings.service_client_hashes.get(client_id)
    if expected is None or not same_secret(client_secret, expected):
        raise InvalidGrant("invalid_client", "Unknown client or wrong client secret.")
    return Principal(sub=f"service:{client_id}", role="service")


async def revoke_refresh_token(uow: UnitOfWork, token: str) -> None:
    """RFC 7009: the token's session ends; an unknown token is not an error (it may have been revoked already)."""
    row = await uow.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash(token)))
    if row is not None:
        await revoke_session(uow, row.session_id, "logout")


async def revoke_session(uow: UnitOfWork, session_id: UUID, reason: str) -> Session | None:
    session = await uow.session.get(Session, session_id, with_for_update=True)
    if session is not None and session.revoked_at is None:
        session.revoked_at, session.revoked_reason = uow.clock.now(), reason
    return session


async def active_sessions(uow: UnitOfWork, account_id: UUID, limit: int, cursor: str | None
                          ) -> tuple[list[Session], str | None]:
    stmt = select(Session).where(Session.account_id == account_id, Session.revoked_at.is_(None),
                                 Session.expires_at > uow.clock.now())
    return await keyset_page(uow.session, stmt, Session.created_at, Session.id, limit, cursor)

