"""When a mail that the SMTP server did not take is tried again, when Colo gives up on it, and which mail an
operator may send again."""
from datetime import timedelta

from notifications.domain.mails import SECRET_PLACEHOLDER
from shared.problems import DomainError


def retry_delay(attempts: int, base_seconds: float) -> timedelta:
    """Doubling delays (base, 2 × base, 4 × base, ...): a short outage costs little, a long one does not hammer."""
    return timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0))


def gives_up(attempts: int, max_attempts: int) -> bool:
    return attempts >= max_attempts


def check_resendable(erased: bool, body_text: str) -> None:
    """An erased client's mail has nothing left to send; a secret link was used or expired, and the log never
    held it: the person asks for a new one."""
    if erased:
        raise DomainError("email_erased", "This e-mail's client was erased: its content is gone.")
    if SECRET_PLACEHOLDER in body_text:
        raise DomainError("secret_link_not_resendable", "This e-mail carried a single-use link that the log does "
                          "not keep: the person asks for a new link instead.")
