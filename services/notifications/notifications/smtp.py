"""The SMTP adapter: one stored e-mail as a MIME message (text with an HTML alternative), handed to the server."""
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib

from notifications.domain.mails import SECRET_PLACEHOLDER
from notifications.settings import NotificationsSettings
from notifications.tables import Email

SendError = (aiosmtplib.SMTPException, OSError)
"""What a send can fail with: the server refused, or could not be reached in time."""


def with_secret(body: str, secret: str | None) -> str:
    return body.replace(SECRET_PLACEHOLDER, secret) if secret else body


class Mailer:
    def __init__(self, settings: NotificationsSettings) -> None:
        self.settings = settings

    def message(self, email: Email, now: datetime) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = email.subject
        message["From"] = self.settings.sender
        message["To"] = ", ".join(email.recipients)
        if email.cc:
            message["Cc"] = ", ".join(email.cc)
        if email.bcc:
            message["Bcc"] = ", ".join(email.bcc)  # aiosmtplib sends to it and strips the header
        message["Reply-To"] = self.settings.customer_service_address
        message["Date"] = format_datetime(now)
        # Stable across retries, so that a mail sent twice after a crash can be recognised as one.
        message["Message-ID"] = f"<{email.id}@{self.settings.sender_domain}>"
        message.set_content(with_secret(email.body_text, email.secret))
        message.add_alternative(with_secret(email.body_html, email.secret), subtype="html")
        return message

    async def send(self, email: Email, now: datetime) -> None:
        settings = self.settings
        await aiosmtplib.send(
            self.message(email, now),
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            start_tls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
        )
