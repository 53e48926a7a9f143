"""Delivery use cases: claim the e-mails due, then record what the SMTP server made of each. The caller commits."""
from sqlalchemy import select

from notifications.domain.delivery import gives_up, retry_delay
from notifications.settings import NotificationsSettings
from notifications.tables import Email
from shared.db import UnitOfWork
from shared.events import EmailFailed, EmailSent


async def claim_due(uow: UnitOfWork, batch: int) -> list[Email]:
    """The oldest queued e-mails whose time has come; SKIP LOCKED so that a concurrent sender never takes one twice."""
    stmt = (
        select(Email)
        .where(Email.status == "queued", Email.next_attempt_at <= uow.clock.now())
        .order_by(Email.next_attempt_at, Email.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    return list(await uow.session.scalars(stmt))


def mark_sent(uow: UnitOfWork, email: Email) -> None:
    email.attempts += 1
    email.status = "sent"
    email.sent_at = uow.clock.now()
    email.last_error = None
    email.secret = None
    uow.emit(EmailSent(email_id=email.id, template=email.template, recipients=email.recipients,
                       client_id=email.client_id, order_id=email.order_id), email.id, email.attempts)


def record_failure(uow: UnitOfWork, settings: NotificationsSettings, email: Email, error: str) -> None:
    """Count the attempt and try again later; after the last attempt the mail is failed, for an operator to see."""
    email.attempts += 1
    email.last_error = error[:2000]
    if not gives_up(email.attempts, settings.max_send_attempts):
        email.next_attempt_at = uow.clock.now() + retry_delay(email.attempts, settings.send_retry_seconds)
        return
    email.status = "failed"
    email.secret = None
    uow.emit(EmailFailed(email_id=email.id, template=email.template, recipients=email.recipients,
                         client_id=email.client_id, order_id=email.order_id, error=email.last_error),
             email.id, email.attempts)
