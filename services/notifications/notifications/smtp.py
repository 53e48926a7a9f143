"""The SMTP adapter: one stored e-mail as a MIME message (text with an HTML alternative, its documents attached),
DKIM-signed when a key is configured, handed to the relay (STARTTLS and credentials as configured)."""
from collections.abc import Sequence
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from html import escape

import aiosmtplib
import dkim

from notifications.domain.mails import SECRET_PLACEHOLDER
from notifications.settings import NotificationsSettings
from notifications.tables import Email, EmailAttachment

SendError = (aiosmtplib.SMTPException, OSError)
"""What a send can fail with: the server refused, or could not be reached in time."""
LINKED = "Le document {name} est à télécharger dans votre espace client"
SIGNED_HEADERS = [b"From", b"To", b"Cc", b"Reply-To", b"Subject", b"Date", b"Message-ID", b"MIME-Version",
                  b"Content-Type"]


def with_secret(body: str, secret: str | None) -> str:
    return body.replace(SECRET_PLACEHOLDER, secret) if secret else body


class Mailer:
    def __init__(self, settings: NotificationsSettings) -> None:
        self.settings = settings

    def message(self, email: Email, now: datetime, attachments: Sequence[EmailAttachment] = ()) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = email.subject
        message["From"] = email.sender or self.settings.sender
        message["To"] = ", ".join(email.recipients)
        if email.cc:
            message["Cc"] = ", ".join(email.cc)
        message["Reply-To"] = email.reply_to or self.settings.customer_service_address
        message["Date"] = format_datetime(now)
        # Stable across retries, so that a mail sent twice after a crash can be recognised as one.
        message["Message-ID"] = f"<{email.id}@{self.settings.sender_domain}>"
        text, html = with_secret(email.body_text, email.secret), with_secret(email.body_html, email.secret)
        for linked in (a for a in attachments if a.status == "linked"):
            text += f"\n{LINKED.format(name=linked.filename)} : {linked.link}\n"
            paragraph = (f'<p>{escape(LINKED.format(name=linked.filename))} : '
                         f'<a href="{escape(linked.link or "")}">{escape(linked.link or "")}</a></p>\n')
            html = html.replace("</body>", paragraph + "</body>", 1) if "</body>" in html else html + paragraph
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        for attached in (a for a in attachments if a.status == "attached" and a.content is not None):
            message.add_attachment(attached.content, maintype="application", subtype="pdf",
                                   filename=attached.filename)
        return message

    def wire(self, message: EmailMessage) -> bytes:
        """The message as sent, with its DKIM signature first when a key is configured."""
        raw = message.as_bytes(policy=policy.SMTP)
        key = self.settings.dkim_private_key
        if key is None:
            return raw
        domain = self.settings.dkim_domain or parseaddr(str(message["From"]))[1].rpartition("@")[2]
        signature = dkim.sign(raw, self.settings.dkim_selector.encode(), domain.encode(),
                              key.get_secret_value().encode(), include_headers=SIGNED_HEADERS)
        return signature + raw

    def envelope(self, email: Email) -> tuple[str, list[str]]:
        """Who the relay hands the mail to: its recipients and blind copies, or only the substitute mailbox of a
        test platform; and where bounces go back."""
        sender = self.settings.bounce_address or parseaddr(email.sender or self.settings.sender)[1]
        if self.settings.substitute_address:
            return sender, [self.settings.substitute_address]
        return sender, list(dict.fromkeys([*email.recipients, *email.cc, *email.bcc]))

    async def send(self, email: Email, now: datetime, attachments: Sequence[EmailAttachment] = ()) -> None:
        settings = self.settings
        sender, recipients = self.envelope(email)
        await aiosmtplib.send(
            self.wire(self.message(email, now, attachments)),
            sender=sender,
            recipients=recipients,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            start_tls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
        )
