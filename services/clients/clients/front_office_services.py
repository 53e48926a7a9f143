"""Use cases of front-office accounts: set a password, check a login, send a single-use reset link.

Passwords are hashed with argon2 (in a worker thread: hashing takes tens of milliseconds on purpose).
"""
import asyncio
import secrets
from datetime import timedelta
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from clients.domain.front_office import Account, ensure_may_log_in, ensure_usable, token_hash
from clients.domain.record import display_name, ensure_changeable
from clients.people_services import get_person
from clients.services import details_of, get_client
from clients.tables import Client, ClientType, LegalGuardian, PasswordReset
from shared.db import UnitOfWork
from shared.events import PasswordResetRequested
from shared.problems import DomainError, Problem

HASHER = PasswordHasher()
DUMMY_HASH = HASHER.hash("an account that does not exist")
"""Checked when no account matches, so that an unknown login takes as long as a wrong password."""


async def _hash(password: str) -> str:
    return await asyncio.to_thread(HASHER.hash, password)


async def _verify(hashed: str, password: str) -> bool:
    def verify() -> bool:
        try:
            return HASHER.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


async def set_password(uow: UnitOfWork, client_id: UUID, password: str) -> Client:
    client = await get_client(uow, client_id, for_update=True)
    ensure_changeable(details_of(client))
    client.password_hash = await _hash(password)
    return client


def _invalid_credentials() -> Problem:
    return Problem(401, "invalid_credentials", "Login refused", "The login or the password is wrong.")


async def set_guardian_password(uow: UnitOfWork, client_id: UUID, guardian_id: UUID, password: str) -> None:
    client = await get_client(uow, client_id, for_update=True)
    guardian = await get_person(uow, LegalGuardian, client_id, guardian_id)
    ensure_changeable(details_of(client))
    if not guardian.front_office_account:
        raise DomainError("no_front_office_account", "This legal guardian has no front-office account.")
    guardian.password_hash = await _hash(password)


async def log_in(uow: UnitOfWork, login: str, password: str) -> tuple[Client, LegalGuardian | None]:
    """The account whose login (a client's e-mail or code, a guardian's e-mail) and password match,
    with its client, if it may log in; a guardian logs in on its client's account state."""
    login = login.strip()
    clients = select(Client).where(Client.password_hash.isnot(None), Client.deleted_at.is_(None),
                                   (Client.email == login.lower()) | (Client.client_code == login.upper()))
    guardians = select(LegalGuardian).where(LegalGuardian.password_hash.isnot(None),
                                            LegalGuardian.front_office_account.is_(True),
                                            LegalGuardian.email == login.lower())
    candidates: list[Client | LegalGuardian] = [*await uow.session.scalars(clients.limit(20)),
                                                *await uow.session.scalars(guardians.limit(20))]
    matching = [account for account in candidates if await _verify(account.password_hash or "", password)]
    if not candidates:
        await _verify(DUMMY_HASH, password)
    if len(matching) != 1:
        raise _invalid_credentials()
    [account] = matching
    guardian = account if isinstance(account, LegalGuardian) else None
    client = await get_client(uow, account.client_id) if isinstance(account, LegalGuardian) else account
    ordering_allowed = True
    if client.client_type_id:
        ordering_allowed = bool(await uow.session.scalar(
            select(ClientType.front_office_ordering_allowed).where(ClientType.id == client.client_type_id)))
    ensure_may_log_in(Account(active=client.active, inactive_message=client.inactive_message,
                              blocked=client.blocked, ordering_allowed=ordering_allowed))
    return client, guardian


async def request_reset(uow: UnitOfWork, client_id: UUID, ttl: timedelta, guardian_id: UUID | None = None
                        ) -> PasswordReset:
    """A new single-use link, mailed by notifications to the client's account, or to its legal guardian's; only
    its hash is stored here."""
    client = await get_client(uow, client_id, for_update=True)
    ensure_changeable(details_of(client))
    if guardian_id is None:
        email, name = client.email, display_name(details_of(client))
        if not email:
            raise DomainError("client_without_email", "This client has no e-mail to send a new password to.")
    else:
        guardian = await get_person(uow, LegalGuardian, client_id, guardian_id)
        if not (guardian.front_office_account and guardian.email):
            raise DomainError("no_front_office_account", "This legal guardian has no front-office account.")
        email, name = guardian.email, " ".join(filter(None, (guardian.civility, guardian.first_name,
                                                              guardian.last_name)))
    token, now = secrets.token_urlsafe(32), uow.clock.now()
    reset = PasswordReset(client_id=client.id, legal_guardian_id=guardian_id, token_hash=token_hash(token),
                          expires_at=now + ttl, created_at=now)
    uow.session.add(reset)
    await uow.session.flush()
    uow.emit(PasswordResetRequested(reset_id=reset.id, client_id=client.id, email=email, display_name=name,
                                    token=token, expires_at=reset.expires_at), reset.id, 1)
    return reset


async def reset_password(uow: UnitOfWork, token: str, password: str) -> None:
    """Use a reset link once, before it expires, to choose the new password of the account it was sent to."""
    stmt = select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)).with_for_update()
    reset = await uow.session.scalar(stmt)
    if reset is None:
        raise DomainError("reset_token_invalid",
                          "This link has expired or has already been used: ask for a new password again.")
    ensure_usable(reset.used_at, reset.expires_at, uow.clock.now())
    reset.used_at = uow.clock.now()
    if reset.legal_guardian_id is None:
        await set_password(uow, reset.client_id, password)
    else:
        await set_guardian_password(uow, reset.client_id, reset.legal_guardian_id, password)
