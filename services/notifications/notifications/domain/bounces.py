"""What a delivery status notification (RFC 3464) says: which recipients failed for good, and which of our mails
it is about. A delayed or temporary failure (4.x.x) is the relay's business: it retries."""
import re
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.parser import HeaderParser
from uuid import UUID

OUR_MESSAGE_ID = re.compile(r"<([0-9a-f-]{36})@[^>]+>")


@dataclass(frozen=True)
class Bounce:
    address: str
    reason: str


def permanent_failures(report: EmailMessage) -> list[Bounce]:
    if report.get_content_type() != "multipart/report" or report.get_param("report-type") != "delivery-status":
        return []
    bounces = []
    for part in report.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for fields in part.get_payload():  # the per-message block, then one block per recipient
            recipient, status = fields.get("Final-Recipient", ""), str(fields.get("Status", "")).strip()
            if str(fields.get("Action", "")).strip().lower() != "failed" or not status.startswith("5"):
                continue
            address = recipient.partition(";")[2].strip() or recipient.strip()
            diagnostic = " ".join(str(fields.get("Diagnostic-Code", "")).split())
            bounces.append(Bounce(address.lower(), f"{status} {diagnostic}".strip()))
    return bounces


def bounced_email_id(report: EmailMessage) -> UUID | None:
    """Our e-mail's id, from the Message-ID of the original the notification returns (whole or its headers)."""
    for part in report.walk():
        headers: Message | None = None
        if part.get_content_type() == "message/rfc822":
            headers = part.get_payload()[0]
        elif part.get_content_type() == "text/rfc822-headers":
            headers = HeaderParser().parsestr(part.get_content())
        if headers is not None and (found := OUR_MESSAGE_ID.search(str(headers.get("Message-ID", "")))):
            return UUID(found.group(1))
    return None
