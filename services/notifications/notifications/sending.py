"""Delivery use cases: claim the e-mails due, then record what the SMTP server made of each. The caller commits."""
from datetime import timedelta

from sqlalchemy import exists, func, select

from notifications.domain.attachments import document_link, fate
from notifications.domain.delivery import gives_up, retry_delay
from notifications.settings import NotificationsSettings
from notifications.tables import Email, EmailAttachment
from shared.db import UnitOfWork
from shared.events import EmailFailed, EmailSent


async def allowance(uow: UnitOfWork, settings: NotificationsSettings) -> int:
    """How many mails this round may hand to the relay: the batch, less what the last minute already sent when the
    relay has a rate limit. The sending job runs on one replica at a time, so the count is the relay's."""
    if settings.send_rate_per_minute is None:
        return settings.send_batch
    recent = await uow.session.scalar(select(func.count()).select_from(Email).where(
        Email.sent_at > uow.clock.now() - timedelta(minutes=1))) or 0
    return max(0, min(settings.send_batch, settings.send_rate_per_minute - recent))


async def claim_due(uow: UnitOfWork, batch: int) -> list[Email]:
    """The oldest queued e-mails whose time has come and whose documents are ready; SKIP LOCKED so that a concurrent
    sender never takes one twice."""
    waiting = exists().where(EmailAttachment.email_id == Email.id, EmailAttachment.status == "pending")
    stmt = (
        select(Email)
        .where(Email.status == "queued", Email.next_attempt_at <= uow.clock.now(), ~waiting)
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
                       client_id=email.client_id, order_id=email.order_id, resent_from=email.resent_from,
                       resent_by=email.resent_by), email.id, email.attempts)


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


async def attachments_of(uow: UnitOfWork, email: Email) -> list[EmailAttachment]:
    return list(await uow.session.scalars(select(EmailAttachment).where(EmailAttachment.email_id == email.id)
                                          .order_by(EmailAttachment.created_at, EmailAttachment.id)))


async def pending_attachments(uow: UnitOfWork, batch: int) -> list[EmailAttachment]:
    """Documents still to fetch for mails not sent yet, oldest first."""
    stmt = (select(EmailAttachment).join(Email, Email.id == EmailAttachment.email_id)
            .where(EmailAttachment.status == "pending", Email.status == "queued")
            .order_by(EmailAttachment.created_at, EmailAttachment.id).limit(batch))
    return list(await uow.session.scalars(stmt))


def record_document(uow: UnitOfWork, settings: NotificationsSettings, attachment: EmailAttachment,
                    content: bytes | None, missing: bool = False) -> None:
    """What the fetch gave: the document (attached, or linked when too large), none from billing (linked), or
    nothing yet while billing is down (waited for, then linked)."""
    size = len(content) if content is not None else None
    waited = uow.clock.now() - attachment.created_at
    max_wait = timedelta(0) if missing else timedelta(seconds=settings.attachment_wait_seconds)
    attachment.status = fate(size, settings.attachment_max_bytes, waited, max_wait)
    if attachment.status == "attached":
        attachment.content, attachment.size = content, size
    elif attachment.status == "linked":
        attachment.size = size
        attachment.link = document_link(settings.front_office_url, attachment.kind, attachment.document_id)
