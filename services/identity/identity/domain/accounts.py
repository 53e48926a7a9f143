"""Who may hold which role, and when an account may log in: disabled, or locked after repeated failures.

Staff accounts (admin, operator, accountant, manager) belong to no client; front-office accounts (client,
legal_guardian, reseller) belong to one, and a legal guardian's names its guardian too.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.auth import FRONT_OFFICE_ROLES, PERMISSIONS, STAFF_ROLES
from shared.problems import DomainError

MIN_PASSWORD_LENGTH = 12


class LoginRefused(Exception):
    """The credentials may be right, but this account may not log in now."""

    def __init__(self, code: str, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.retry_after = code, message, retry_after


@dataclass(frozen=True)
class LockoutPolicy:
    attempts: int
    """Consecutive failures that lock the account."""
    duration: timedelta


@dataclass(frozen=True)
class Failures:
    count: int
    locked_until: datetime | None


def ensure_staff_grant(role: str, permissions: list[str]) -> None:
    if role not in STAFF_ROLES:
        raise DomainError("not_a_staff_role", f"A staff user's role is one of {', '.join(STAFF_ROLES)}.")
    unknown = sorted(set(permissions) - set(PERMISSIONS))
    if unknown:
        raise DomainError("unknown_permission", f"Unknown permissions: {', '.join(unknown)}.")


def ensure_belongs(role: str, client_id: object | None, guardian_id: object | None) -> None:
    """A front-office account belongs to its client (and a guardian's to its guardian); a staff account to no one."""
    if role in FRONT_OFFICE_ROLES and client_id is None:
        raise DomainError("client_required", "A front-office account belongs to a client.")
    if role not in FRONT_OFFICE_ROLES and (client_id is not None or guardian_id is not None):
        raise DomainError("staff_without_client", "A staff account belongs to no client.")
    if (role == "legal_guardian") != (guardian_id is not None):
        raise DomainError("guardian_mismatch", "Only a legal guardian's account names a legal guardian.")


def ensure_may_log_in(disabled: bool, locked_until: datetime | None, now: datetime) -> None:
    if disabled:
        raise LoginRefused("account_disabled", "This account is disabled; ask an administrator.")
    if locked_until is not None and now < locked_until:
        seconds = int((locked_until - now).total_seconds()) + 1
        raise LoginRefused("account_locked", f"Too many failed logins: this account is locked for {seconds} s.",
                           retry_after=seconds)


def after_failure(failures: Failures, now: datetime, policy: LockoutPolicy) -> Failures:
    """One more failure; the last allowed one locks the account for the policy's duration and starts counting anew."""
    count = failures.count + 1 if failures.locked_until is None or failures.locked_until <= now else 1
    if count >= policy.attempts:
        return Failures(0, now + policy.duration)
    return Failures(count, None)


def ensure_an_admin_remains(active_admins_after: int) -> None:
    """Nobody could manage staff any more: the last active admin can be neither disabled nor demoted."""
    if active_admins_after < 1:
        raise DomainError("last_admin", "This is the last active administrator: name another one first.")
