"""A family's sign-up: an account waiting for its e-mail to be proven, then active with the client id identity gave
it, which clients creates from the announcement (a prospect until its first order). And the public requests by
e-mail (a new verification link, a password link), which answer the same whether the e-mail is known or not: what
they do is mail its owner. The caller commits."""
from datetime import timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from identity import accounts
from identity.domain.front_office import person_name
from identity.passwords import hash_password, new_token, token_hash
from identity.tables import Account, ClientRecord, EmailVerification, SignUp
from shared.auth import FRONT_OFFICE_ROLES
from shared.db import UnitOfWork
from shared.events import AccountCreated, EmailVerificationRequested, SignUpRepeated, SignUpVerified
from shared.problems import DomainError


async def _by_login(uow: UnitOfWork, email: str) -> Account | None:
    return await uow.session.scalar(select(Account).where(Account.login == email.strip().lower()).with_for_update())


async def sign_up(uow: UnitOfWork, email: str, password: str, details: dict[str, Any], ttl: timedelta) -> None:
    """A new account waiting for verification, or, signing up again before verifying, the same one with what was
    typed this time (only the newest link then works); the owner of an account that exists is told by mail."""
    password_hash = await hash_password(password)  # whatever the case, so that the answer takes as long
    login, now = email.strip().lower(), uow.clock.now()
    name = person_name(details.get("civility"), details["last_name"], details.get("first_name"))
    account = await _by_login(uow, login)
    if account is not None and not account.pending_verification:
        uow.emit(SignUpRepeated(account_id=account.id, email=account.email, display_name=account.display_name,
                                client_id=account.client_id), uuid4(), 1)
        return
    if account is None:
        account_id = await uow.session.scalar(insert(Account).values(
            id=uuid4(), login=login, email=email.strip(), display_name=name, role="client", permissions=[],
            client_id=uuid4(), password_hash=password_hash, password_changed_at=now, pending_verification=True,
            version=1, failed_logins=0, totp_enabled=False, created_at=now, updated_at=now,
        ).on_conflict_do_nothing(index_elements=[Account.login]).returning(Account.id))
        if account_id is None:
            return  # the same e-mail signed up at this very moment: that request mails it
        account = await accounts.get_account(uow, account_id)
        uow.session.add(SignUp(account_id=account.id, details=details, created_at=now))
    else:
        account.password_hash, account.password_changed_at = password_hash, now
        account.display_name, account.email, account.updated_at = name, email.strip(), now
        sign_up_row = await uow.session.get(SignUp, account.id, with_for_update=True)
        assert sign_up_row is not None
        sign_up_row.details, sign_up_row.created_at = details, now
    await _send_verification(uow, account, ttl)


async def _send_verification(uow: UnitOfWork, account: Account, ttl: timedelta) -> EmailVerification:
    """A new single-use link; the earlier ones stop working, so that only the sign-up as it now stands is proven."""
    now = uow.clock.now()
    await uow.session.execute(update(EmailVerification).where(
        EmailVerification.account_id == account.id, EmailVerification.used_at.is_(None)).values(used_at=now))
    token = new_token()
    link = EmailVerification(account_id=account.id, token_hash=token_hash(token), created_at=now,
                             expires_at=now + ttl)
    uow.session.add(link)
    await uow.session.flush()
    assert account.client_id is not None
    uow.emit(EmailVerificationRequested(verification_id=link.id, account_id=account.id, client_id=account.client_id,
                                        email=account.email, display_name=account.display_name, token=token,
                                        expires_at=link.expires_at), link.id, 1)
    return link


async def verify(uow: UnitOfWork, token: str) -> Account:
    """The e-mail is proven: the account may log in, and its client is announced for clients to create."""
    link = await uow.session.scalar(
        select(EmailVerification).where(EmailVerification.token_hash == token_hash(token)).with_for_update())
    now = uow.clock.now()
    if link is None or link.used_at is not None or now >= link.expires_at:
        raise DomainError("verification_token_invalid",
                          "This link has expired or has already been used: ask for a new one.")
    account = await accounts.get_account(uow, link.account_id, for_update=True)
    sign_up_row = await uow.session.get(SignUp, account.id, with_for_update=True)
    assert account.pending_verification and account.client_id is not None and sign_up_row is not None
    link.used_at = now
    account.pending_verification, account.updated_at = False, now
    details = sign_up_row.details
    # Until clients' own event about it comes back, the new client is what the family typed: a prospect in good
    # standing, so that it can log in at once.
    await uow.session.execute(insert(ClientRecord).values(
        client_id=account.client_id, kind="prospect", client_type_id=None, display_name=account.display_name,
        email=account.email, client_code=None, active=True, inactive_message=None,
        blocked=False, deleted=False, anonymised=False, guardians=[]).on_conflict_do_nothing())
    uow.emit(AccountCreated(**accounts.state(account)), account.id, account.version)
    uow.emit(SignUpVerified(account_id=account.id, client_id=account.client_id, email=account.email, **details),
             account.id, 1)
    await uow.session.delete(sign_up_row)  # clients keeps what was typed from now on
    return account


async def drop_unverified(uow: UnitOfWork, email: str) -> None:
    """An account staff give takes its e-mail from a sign-up nobody proved: that sign-up is dropped, so that whoever
    typed someone else's address cannot hold it."""
    account = await _by_login(uow, email)
    if account is None or not account.pending_verification:
        return
    await uow.session.execute(delete(EmailVerification).where(EmailVerification.account_id == account.id))
    await uow.session.execute(delete(SignUp).where(SignUp.account_id == account.id))
    await uow.session.delete(account)
    await uow.session.flush()


async def resend_verification(uow: UnitOfWork, email: str, ttl: timedelta) -> None:
    account = await _by_login(uow, email)
    if account is not None and account.pending_verification:
        await _send_verification(uow, account, ttl)


async def request_password_reset(uow: UnitOfWork, email: str, reset_ttl: timedelta, verification_ttl: timedelta
                                 ) -> None:
    """A family that forgot its password gets a link; one that has not verified its e-mail yet, a new verification
    link (it may sign up again to choose another password). Staff users ask an administrator."""
    account = await _by_login(uow, email)
    if account is None or account.role not in FRONT_OFFICE_ROLES or account.disabled_at is not None:
        return
    if account.pending_verification:
        await _send_verification(uow, account, verification_ttl)
    else:
        await accounts.request_reset(uow, account.id, reset_ttl)

