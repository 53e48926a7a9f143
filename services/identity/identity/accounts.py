"""Use cases of accounts: staff users (create, change, disable), every account's password and its links, the second
factor.

Every change bumps the account's version and announces its new state through the outbox; a change that takes
access away (disabled, new password) revokes the account's sessions in the same transaction. The caller commits.
"""
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select, update

from identity.domain import second_factor
from identity.domain.accounts import ensure_an_admin_remains, ensure_staff_grant
from identity.passwords import hash_password, new_token, token_hash, verify_password
from identity.tables import Account, PasswordReset, Session
from shared.auth import STAFF_ROLES
from shared.db import UnitOfWork
from shared.events import (
    AccountCreated,
    AccountDisabled,
    AccountPasswordChanged,
    AccountPasswordResetRequested,
    AccountState,
    AccountUpdated,
)
from shared.pagination import keyset_page
from shared.problems import DomainError, NotFound, Problem


def state(account: Account) -> dict[str, Any]:
    return {"account_id": account.id, "email": account.email, "display_name": account.display_name,
            "role": account.role, "permissions": list(account.permissions), "client_id": account.client_id,
            "guardian_id": account.guardian_id, "active": account.disabled_at is None}


def _changed(uow: UnitOfWork, account: Account, event: type[AccountState]) -> None:
    account.version += 1
    account.updated_at = uow.clock.now()
    uow.emit(event(**state(account)), account.id, account.version)


def updated(uow: UnitOfWork, account: Account) -> None:
    _changed(uow, account, AccountUpdated)


async def get_account(uow: UnitOfWork, account_id: UUID, for_update: bool = False) -> Account:
    account = await uow.session.get(Account, account_id, with_for_update=for_update)
    if account is None:
        raise NotFound("account", account_id)
    return account


async def get_staff(uow: UnitOfWork, account_id: UUID, for_update: bool = False) -> Account:
    account = await get_account(uow, account_id, for_update)
    if account.role not in STAFF_ROLES:
        raise NotFound("staff user", account_id)
    return account


async def create_staff(uow: UnitOfWork, email: str, display_name: str, role: str, permissions: list[str],
                       password: str | None, link_ttl: timedelta) -> Account:
    """A staff user; without a password, it chooses its own with a link mailed to it."""
    ensure_staff_grant(role, permissions)
    now = uow.clock.now()
    account = Account(login=email.strip().lower(), email=email.strip(), display_name=display_name.strip(), role=role,
                      permissions=sorted(set(permissions)), version=1, failed_logins=0, totp_enabled=False,
                      created_at=now, updated_at=now)
    if password is not None:
        account.password_hash, account.password_changed_at = await hash_password(password), now
    uow.session.add(account)
    await uow.flush_unique(DomainError("login_taken", f"An account already logs in with {account.login}."))
    uow.emit(AccountCreated(**state(account)), account.id, account.version)
    if password is None:
        await request_reset(uow, account.id, link_ttl, new_account=True)
    return account


def staff_query(role: str | None, active: bool | None) -> Select[Any]:
    stmt = select(Account).where(Account.role.in_(STAFF_ROLES))
    if role is not None:
        stmt = stmt.where(Account.role == role)
    if active is not None:
        stmt = stmt.where(Account.disabled_at.is_(None) if active else Account.disabled_at.isnot(None))
    return stmt


async def list_staff(uow: UnitOfWork, role: str | None, active: bool | None, limit: int, cursor: str | None
                     ) -> tuple[list[Account], str | None]:
    return await keyset_page(uow.session, staff_query(role, active), Account.created_at, Account.id, limit, cursor)


async def _active_admins_without(uow: UnitOfWork, account_id: UUID) -> int:
    return await uow.session.scalar(select(func.count()).select_from(Account).where(
        Account.role == "admin", Account.disabled_at.is_(None), Account.id != account_id)) or 0


async def _serialise_admin_changes(uow: UnitOfWork) -> None:
    """Two admins demoting or disabling each other at once: the second waits, then counts the first's change."""
    await uow.session.execute(select(Account.id).where(Account.role == "admin").with_for_update())


async def update_staff(uow: UnitOfWork, account_id: UUID, changes: dict[str, Any]) -> Account:
    await _serialise_admin_changes(uow)
    account = await get_staff(uow, account_id, for_update=True)
    role, permissions = changes.get("role", account.role), changes.get("permissions", account.permissions)
    ensure_staff_grant(role, permissions)
    if account.role == "admin" and role != "admin" and account.disabled_at is None:
        ensure_an_admin_remains(await _active_admins_without(uow, account.id))
    account.role, account.permissions = role, sorted(set(permissions))
    if changes.get("display_name"):
        account.display_name = changes["display_name"].strip()
    _changed(uow, account, AccountUpdated)
    return account


async def revoke_sessions(uow: UnitOfWork, account_id: UUID, reason: str, keep: UUID | None = None) -> None:
    """End the account's sessions, but `keep`."""
    stmt = update(Session).where(Session.account_id == account_id, Session.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(Session.id != keep)
    await uow.session.execute(stmt.values(revoked_at=uow.clock.now(), revoked_reason=reason))


async def deactivate(uow: UnitOfWork, account: Account, reason: str) -> None:
    """It may no longer log in, and its sessions end now."""
    account.disabled_at = uow.clock.now()
    await revoke_sessions(uow, account.id, reason)
    _changed(uow, account, AccountDisabled)


def reactivate(uow: UnitOfWork, account: Account) -> None:
    if account.disabled_at is not None:
        account.disabled_at, account.failed_logins, account.locked_until = None, 0, None
        _changed(uow, account, AccountUpdated)


async def disable(uow: UnitOfWork, account_id: UUID) -> Account:
    await _serialise_admin_changes(uow)
    account = await get_staff(uow, account_id, for_update=True)
    if account.disabled_at is not None:
        return account
    if account.role == "admin":
        ensure_an_admin_remains(await _active_admins_without(uow, account.id))
    await deactivate(uow, account, "account_disabled")
    return account


async def enable(uow: UnitOfWork, account_id: UUID) -> Account:
    account = await get_staff(uow, account_id, for_update=True)
    reactivate(uow, account)
    return account


async def request_reset(uow: UnitOfWork, account_id: UUID, ttl: timedelta, new_account: bool = False
                        ) -> PasswordReset:
    """A single-use link mailed by notifications to the account's e-mail; only its hash is stored here."""
    account = await get_account(uow, account_id)
    if account.disabled_at is not None:
        raise DomainError("account_disabled", "This account is disabled: enable it before sending it a password link.")
    if account.pending_verification:
        raise DomainError("email_not_verified", "This sign-up's e-mail is not verified yet.")
    token, now = new_token(), uow.clock.now()
    reset = PasswordReset(account_id=account.id, token_hash=token_hash(token), created_at=now, expires_at=now + ttl)
    uow.session.add(reset)
    await uow.session.flush()
    uow.emit(AccountPasswordResetRequested(reset_id=reset.id, account_id=account.id, email=account.email,
                                           display_name=account.display_name, token=token,
                                           expires_at=reset.expires_at, new_account=new_account,
                                           role=account.role, client_id=account.client_id), reset.id, 1)
    return reset


async def _set_password(uow: UnitOfWork, account: Account, password: str, keep: UUID | None = None) -> None:
    now = uow.clock.now()
    account.password_hash, account.password_changed_at = await hash_password(password), now
    account.failed_logins, account.locked_until = 0, None
    await revoke_sessions(uow, account.id, "password_changed", keep)
    _changed(uow, account, AccountPasswordChanged)


async def reset_password(uow: UnitOfWork, token: str, password: str) -> Account:
    """Use a link once, before it expires, to choose the password of the account it was sent to."""
    reset = await uow.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)).with_for_update())
    now = uow.clock.now()
    if reset is None or reset.used_at is not None or now >= reset.expires_at:
        raise DomainError("reset_token_invalid",
                          "This link has expired or has already been used: ask for a new one.")
    account = await get_account(uow, reset.account_id, for_update=True)
    if account.disabled_at is not None:
        raise DomainError("account_disabled", "This account is disabled; ask an administrator.")
    reset.used_at = now
    await _set_password(uow, account, password)
    return account


async def change_password(uow: UnitOfWork, account_id: UUID, current: str, new: str, session_id: UUID | None
                          ) -> Account:
    """Every other session ends: whoever else knew the old password is logged out; the one that changed it stays."""
    account = await get_account(uow, account_id, for_update=True)
    if not await verify_password(account.password_hash, current):
        raise Problem(403, "wrong_password", "Forbidden", "The current password is wrong.")
    await _set_password(uow, account, new, keep=session_id)
    return account


async def enrol_second_factor(uow: UnitOfWork, account_id: UUID) -> tuple[str, str]:
    """A new secret for the authenticator app; the second factor is required only once a code confirms it."""
    account = await get_staff(uow, account_id, for_update=True)
    if account.totp_enabled:
        raise DomainError("second_factor_enabled", "The second factor is already enabled.")
    account.totp_secret, account.totp_last_step = second_factor.new_secret(), None
    return account.totp_secret, second_factor.provisioning_uri(account.totp_secret, account.email)


async def confirm_second_factor(uow: UnitOfWork, account_id: UUID, code: str) -> Account:
    account = await get_staff(uow, account_id, for_update=True)
    if account.totp_enabled:
        raise DomainError("second_factor_enabled", "The second factor is already enabled.")
    if account.totp_secret is None:
        raise DomainError("second_factor_not_enrolled", "Enrol first (POST /me/second-factor).")
    step = second_factor.matching_step(account.totp_secret, code, uow.clock.now(), account.totp_last_step)
    if step is None:
        raise DomainError("totp_invalid", "This code is wrong or expired: type the one the app shows now.")
    account.totp_enabled, account.totp_last_step = True, step
    account.updated_at = uow.clock.now()
    return account


async def remove_second_factor(uow: UnitOfWork, account_id: UUID) -> Account:
    """For a user who lost its phone: an admin removes the second factor, the user enrols again."""
    account = await get_staff(uow, account_id, for_update=True)
    account.totp_enabled, account.totp_secret, account.totp_last_step = False, None, None
    account.updated_at = uow.clock.now()
    await revoke_sessions(uow, account.id, "second_factor_removed")
    return account
