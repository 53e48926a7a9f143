"""The front-office account of a client: who may log in, and the single-use reset tokens."""
import hashlib
from dataclasses import dataclass
from datetime import datetime

from shared.problems import DomainError

MIN_PASSWORD_LENGTH = 10
CALL_CUSTOMER_SERVICE = ("La commande en ligne n'est pas ouverte pour votre compte : "
                         "contactez notre service client pour réserver.")


@dataclass(frozen=True)
class Account:
    active: bool
    inactive_message: str | None
    blocked: bool
    ordering_allowed: bool


class LoginRefused(Exception):
    """The password is right but this account may not log in; `message` is shown to the person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def ensure_may_log_in(account: Account) -> None:
    """Inactive accounts see why; clients of a type without front-office ordering are sent to customer service."""
    if account.blocked or not account.active:
        raise LoginRefused("account_inactive",
                           account.inactive_message or "Votre compte est désactivé : contactez notre service client.")
    if not account.ordering_allowed:
        raise LoginRefused("front_office_ordering_forbidden", CALL_CUSTOMER_SERVICE)


def token_hash(token: str) -> str:
    """Only this is stored: a leaked database gives no usable reset link."""
    return hashlib.sha256(token.encode()).hexdigest()


def ensure_usable(used_at: datetime | None, expires_at: datetime, now: datetime) -> None:
    if used_at is not None or now >= expires_at:
        raise DomainError("reset_token_invalid",
                          "This link has expired or has already been used: ask for a new password again.")
