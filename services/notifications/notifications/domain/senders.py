"""Who a mail is from (seed 004): the customer service sends the clients' mail, HR the staff's (the customer
service when HR has no address), the commercial identity campaigns; an organiser may have its own, else the
master entity's apply."""
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formataddr
from typing import Literal
from uuid import UUID

from notifications.domain.mails import MailTemplate

SenderKind = Literal["customer_service", "commercial", "hr"]
SENDER_KINDS: tuple[SenderKind, ...] = ("customer_service", "commercial", "hr")


@dataclass(frozen=True)
class Sender:
    name: str
    address: str
    reply_to: str | None = None

    @property
    def from_header(self) -> str:
        return formataddr((self.name, self.address))

    @property
    def answered_at(self) -> str:
        """Where the client's answers go: the Reply-To, and the address the mail invites questions at."""
        return self.reply_to or self.address


def kind_of(template: MailTemplate) -> SenderKind:
    return "hr" if template is MailTemplate.STAFF_PASSWORD else "customer_service"


def choose(identities: Mapping[tuple[UUID | None, SenderKind], Sender], organiser_id: UUID | None,
           kind: SenderKind, default: Sender) -> Sender:
    """The organiser's own identity of that kind, else the master entity's; a kind nobody set falls back on the
    customer service, and with no identity at all, on the configured default."""
    for candidate_kind in dict.fromkeys((kind, "customer_service")):
        for owner in dict.fromkeys((organiser_id, None)):
            if (owner, candidate_kind) in identities:
                return identities[owner, candidate_kind]
    return default
