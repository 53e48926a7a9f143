"""Timed work of the notifications service: queue the reminders due, fetch the documents mails carry, send the
queued e-mails."""
from notifications import reminders, sending
from notifications.documents import Documents
from notifications.settings import NotificationsSettings
from notifications.smtp import Mailer, SendError
from shared.db import UnitOfWork
from shared.jobs import Job
from shared.logging import log
from shared.problems import outage


def send_queued(settings: NotificationsSettings, mailer: Mailer) -> Job:
    """Delivery is at least once: a crash between the SMTP answer and the commit resends that batch. A mail that
    cannot be written (an address with a control character) fails alone, like a refused one: it never holds back
    the mails behind it."""

    async def run(uow: UnitOfWork) -> None:
        if not (batch := await sending.allowance(uow, settings)):
            return
        for email in await sending.claim_due(uow, batch):
            attachments = await sending.attachments_of(uow, email)
            try:
                await mailer.send(email, uow.clock.now(), attachments)
            except SendError as error:
                log.warning("email.send_failed", email_id=str(email.id), attempt=email.attempts + 1, error=str(error))
                sending.record_failure(uow, settings, email, f"{type(error).__name__}: {error}")
            except Exception as error:
                if outage(error) is not None:
                    raise
                log.exception("email.unwritable", email_id=str(email.id))
                sending.record_failure(uow, settings, email, f"{type(error).__name__}: {error}")
            else:
                sending.mark_sent(uow, email)

    return Job("send_queued", run)


def fetch_attachments(settings: NotificationsSettings, documents: Documents) -> Job:
    """Billing is asked with no transaction open: what is pending is read and committed first."""

    async def run(uow: UnitOfWork) -> None:
        pending = await sending.pending_attachments(uow, settings.send_batch)
        await uow.commit()
        for attachment in pending:
            try:
                content = await documents.pdf(attachment.kind, attachment.document_id)
            except Exception as error:
                if outage(error) is None:
                    raise
                log.warning("email.document_unavailable", attachment_id=str(attachment.id), error=str(error))
                sending.record_document(uow, settings, attachment, None)
                continue
            sending.record_document(uow, settings, attachment, content, missing=content is None)

    return Job("fetch_attachments", run)


def send_reminders(settings: NotificationsSettings) -> Job:
    async def run(uow: UnitOfWork) -> None:
        if queued := await reminders.queue_due(uow, settings):
            log.info("reminders.queued", count=queued)

    return Job("send_reminders", run)
