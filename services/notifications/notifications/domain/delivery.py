"""When a mail that the SMTP server did not take is tried again, and when Colo gives up on it."""
from datetime import timedelta


def retry_delay(attempts: int, base_seconds: float) -> timedelta:
    """Doubling delays (base, 2 × base, 4 × base, ...): a short outage costs little, a long one does not hammer."""
    return timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0))


def gives_up(attempts: int, max_attempts: int) -> bool:
    return attempts >= max_attempts
