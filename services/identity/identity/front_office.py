"""Front-office accounts: the copy of clients' data that decides their logins, what follows from a client's change
(sessions ended, a removed guardian's account disabled, an anonymised client's accounts erased), and the accounts
staff give to clients, legal guardians and resellers. The caller commits."""
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert

from identity.accounts import deactivate, get_account, request_reset, revoke_sessions, state, updated
from identity.domain.accounts import LoginRefused
from identity.domain.front_office import (
    NO_TYPE,
    NOT_VERIFIED,
    Guardian,
    Standing,
    TypeFlags,
    ensure_may_have_account,
    login_refusal,
    person_name,
)
from identity.sign_ups import drop_unverified
from identity.tables import Account, ClientRecord, ClientTypeRecord, SignUp
from shared.auth import FRONT_OFFICE_ROLES
from shared.db import UnitOfWork
from shared.events import AccountCreated, ClientAnonymised, ClientDeleted, ClientState, ClientTypeState, Envelope
from shared.logging import log
from shared.pagination import keyset_page
from shared.problems import DomainError, NotFound

CONSUMER = "identity"
ERASED_NAME = "Anonyme"
ERASED = "erased-"
"""The login of an erased account: no e-mail, so that no sign-up or login ever matches it."""


def standing(record: ClientRecord) -> Standing:
    return Standing(kind=record.kind, active=record.active, inactive_message=record.inactive_message,
                    blocked=record.blocked, deleted=record.deleted, anonymised=record.anonymised)


def guardians(record: ClientRecord) -> dict[UUID, Guardian]:
    return {UUID(g["guardian_id"]): Guardian(UUID(g["guardian_id"]), g["name"], g["email"]) for g in record.guardians}


async def flags(uow: UnitOfWork, client_type_id: UUID | None) -> TypeFlags:
    """A client without a type, or of a type whose event has not come yet, has the default flags."""
    found = await uow.session.get(ClientTypeRecord, client_type_id) if client_type_id else None
    if found is None:
        return NO_TYPE
    return TypeFlags(found.front_office_account_allowed, found.front_office_ordering_allowed,
                     found.legal_guardian_accounts)


async def login_refusal_for(uow: UnitOfWork, account: Account) -> LoginRefused | None:
    """Why this account may not log in now, from what clients last said of its client; None for staff."""
    if account.role not in FRONT_OFFICE_ROLES:
        return None
    if account.pending_verification:
        return LoginRefused("email_not_verified", NOT_VERIFIED)
    record = await uow.session.get(ClientRecord, account.client_id)
    if record is None:
        return login_refusal(account.role, None, NO_TYPE)
    return login_refusal(account.role, standing(record), await flags(uow, record.client_type_id))


async def find_by_client_code(uow: UnitOfWork, code: str) -> Account | None:
    """The client's own account (not a guardian's), for a family that logs in with its client code."""
    return await uow.session.scalar(
        select(Account).join(ClientRecord, ClientRecord.client_id == Account.client_id)
        .where(ClientRecord.client_code == code.strip().upper(), Account.role != "legal_guardian",
               Account.login.notlike(f"{ERASED}%"))
        .with_for_update(of=Account))


# --- staff's actions -----------------------------------------------------------------------------


async def give_account(uow: UnitOfWork, client_id: UUID, role: str, guardian_id: UUID | None,
                       link_ttl: timedelta) -> Account:
    """An account for the client (role client or reseller) or one of its legal guardians, under the client type's
    rules; its owner chooses its password with the link mailed to it."""
    record = await uow.session.get(ClientRecord, client_id)
    if record is None:
        raise NotFound("client", client_id)
    if role == "legal_guardian":
        guardian = guardians(record).get(guardian_id) if guardian_id else None
        if guardian is None:
            raise NotFound("legal guardian", guardian_id)
        email, name = guardian.email, guardian.name
    else:
        email, name = record.email, record.display_name
    ensure_may_have_account(role, standing(record), await flags(uow, record.client_type_id), email)
    assert email is not None
    mine = Account.guardian_id == guardian_id if role == "legal_guardian" else (
        (Account.client_id == client_id) & (Account.role != "legal_guardian"))
    if await uow.session.scalar(select(Account.id).where(mine)):
        raise DomainError("account_exists", "This person already has an account: send it a password link instead.")
    await drop_unverified(uow, email)
    now = uow.clock.now()
    account = Account(login=email.lower(), email=email, display_name=name, role=role, permissions=[],
                      client_id=client_id, guardian_id=guardian_id if role == "legal_guardian" else None, version=1,
                      failed_logins=0, totp_enabled=False, pending_verification=False, created_at=now, updated_at=now)
    uow.session.add(account)
    await uow.flush_unique(DomainError("login_taken", f"An account already logs in with {account.login}."))
    uow.emit(AccountCreated(**state(account)), account.id, account.version)
    await request_reset(uow, account.id, link_ttl, new_account=True)
    return account


async def get_front_office(uow: UnitOfWork, account_id: UUID, for_update: bool = False) -> Account:
    account = await get_account(uow, account_id, for_update)
    if account.role not in FRONT_OFFICE_ROLES or account.pending_verification:
        raise NotFound("front-office account", account_id)
    return account


async def list_accounts(uow: UnitOfWork, client_id: UUID | None, role: str | None, active: bool | None, limit: int,
                        cursor: str | None) -> tuple[list[Account], str | None]:
    """Front-office accounts, a sign-up's only once its e-mail is proven."""
    stmt = select(Account).where(Account.role.in_(FRONT_OFFICE_ROLES), Account.pending_verification.is_(False))
    if client_id is not None:
        stmt = stmt.where(Account.client_id == client_id)
    if role is not None:
        stmt = stmt.where(Account.role == role)
    if active is not None:
        stmt = stmt.where(Account.disabled_at.is_(None) if active else Account.disabled_at.isnot(None))
    return await keyset_page(uow.session, stmt, Account.created_at, Account.id, limit, cursor)


# --- clients' events -----------------------------------------------------------------------------


async def on_client(uow: UnitOfWork, client: ClientState, envelope: Envelope) -> None:
    """Keep the client's copy, newest version only; then end what it no longer allows."""
    if not await uow.newer_version(CONSUMER, envelope):
        log.info("identity.stale_client_event", client_id=str(client.client_id))
        return
    values: dict[str, Any] = {
        "kind": client.kind, "client_type_id": client.client_type_id, "display_name": client.display_name,
        "email": client.email, "client_code": client.client_code, "active": client.active,
        "inactive_message": client.inactive_message,
        "blocked": client.blocked, "deleted": envelope.type == ClientDeleted.TYPE,
        "anonymised": envelope.type == ClientAnonymised.TYPE,
        "guardians": [{"guardian_id": str(g.guardian_id), "name": person_name(g.civility, g.last_name, g.first_name),
                       "email": g.email} for g in client.legal_guardians],
    }
    stmt = insert(ClientRecord).values(client_id=client.client_id, **values)
    # Anonymisation cannot be undone: a later event of the client does not bring its accounts back.
    update_values = {**values, "anonymised": ClientRecord.anonymised | stmt.excluded.anonymised}
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[ClientRecord.client_id], set_=update_values))
    record = await uow.session.get(ClientRecord, client.client_id, populate_existing=True)
    assert record is not None
    if record.anonymised:
        await _erase_accounts(uow, record.client_id)
    else:
        await _follow(uow, record, await flags(uow, record.client_type_id))


async def on_client_type(uow: UnitOfWork, client_type: ClientTypeState, envelope: Envelope) -> None:
    if not await uow.newer_version(CONSUMER, envelope):
        log.info("identity.stale_client_type_event", client_type_id=str(client_type.client_type_id))
        return
    values = {"kind": client_type.kind, "front_office_account_allowed": client_type.front_office_account_allowed,
              "front_office_ordering_allowed": client_type.front_office_ordering_allowed,
              "legal_guardian_accounts": client_type.legal_guardian_accounts}
    stmt = insert(ClientTypeRecord).values(client_type_id=client_type.client_type_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[ClientTypeRecord.client_type_id],
                                                         set_=values))
    type_flags = await flags(uow, client_type.client_type_id)
    rows = await uow.session.execute(
        select(Account, ClientRecord).join(ClientRecord, ClientRecord.client_id == Account.client_id)
        .where(ClientRecord.client_type_id == client_type.client_type_id, Account.disabled_at.is_(None)))
    for account, record in rows:
        if (refusal := login_refusal(account.role, standing(record), type_flags)) is not None:
            await revoke_sessions(uow, account.id, refusal.code)


async def _follow(uow: UnitOfWork, record: ClientRecord, type_flags: TypeFlags) -> None:
    """Each active account of the client takes its new name; one that may no longer log in loses its sessions (it
    may log in again once allowed); a guardian's whose guardian is gone is disabled."""
    people = guardians(record)
    client = standing(record)
    accounts = await uow.session.scalars(select(Account).where(
        Account.client_id == record.client_id, Account.disabled_at.is_(None),
        Account.pending_verification.is_(False)).with_for_update())
    for account in accounts:
        if account.role == "legal_guardian" and account.guardian_id not in people:
            await deactivate(uow, account, "guardian_removed")
            continue
        name = people[account.guardian_id].name if account.guardian_id else record.display_name
        if name and name != account.display_name:
            account.display_name = name
            updated(uow, account)
        if (refusal := login_refusal(account.role, client, type_flags)) is not None:
            await revoke_sessions(uow, account.id, refusal.code)


async def _erase_accounts(uow: UnitOfWork, client_id: UUID) -> None:
    """GDPR erasure: the client's accounts can never log in again and keep nothing personal (the id stays, named in
    other services' logs)."""
    accounts = await uow.session.scalars(select(Account).where(
        Account.client_id == client_id, Account.login.notlike(f"{ERASED}%")).with_for_update())
    for account in accounts:
        account.login, account.email, account.display_name = f"{ERASED}{account.id}", "", ERASED_NAME
        account.password_hash = None
        if account.disabled_at is None:
            await deactivate(uow, account, "client_anonymised")
        else:
            updated(uow, account)
        await uow.session.execute(delete(SignUp).where(SignUp.account_id == account.id))
