"""Timed work of the notifications service: send the queued e-mails."""
from notifications import sending
from notifications.settings import NotificationsSettings
from notifications.smtp import Mailer, SendError
from shared.db import UnitOfWork
from shared.jobs import Job
from shared.logging import log


def send_queued(settings: NotificationsSettings, mailer: Mailer) -> Job:
    """Delivery is at least once: a crash between the SMTP answer and the commit resends that batch."""

    async def run(uow: UnitOfWork) -> None:
        for email in await sending.claim_due(uow, settings.send_batch):
            try:
                await mailer.send(email, uow.clock.now())
            except SendError as error:
                log.warning("email.send_failed", email_id=str(email.id), attempt=email.attempts + 1, error=str(error))
                sending.record_failure(uow, settings, email, f"{type(error).__name__}: {error}")
            else:
                sending.mark_sent(uow, email)

    return Job("send_queued", run)
