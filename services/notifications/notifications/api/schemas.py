"""Request and response models of the notifications API."""
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from notifications.domain.mails import MailTemplate
from notifications.domain.senders import SenderKind
from notifications.domain.templates import Language

Status = Literal["queued", "sent", "failed", "cancelled", "held"]


class EmailSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    template: MailTemplate
    subject: str
    recipients: list[str]
    cc: list[str]
    client_id: UUID | None
    order_id: UUID | None
    status: Status
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    erased_at: datetime | None
    resent_from: UUID | None
    resent_by: str | None


class EmailOut(EmailSummary):
    body_text: str
    body_html: str
    bcc: list[str]
    last_error: str | None
    next_attempt_at: datetime


class ResendIn(BaseModel):
    """Nothing to send the mail again to the same people; or corrected recipients, or copies."""

    model_config = ConfigDict(extra="forbid")
    recipients: list[EmailStr] | None = Field(None, min_length=1, max_length=20,
                                              examples=[["claire.martin@example.fr"]])
    cc: list[EmailStr] | None = Field(None, max_length=20, description="Copies; by default the original's.")


TemplateText = Field(min_length=1, max_length=100_000)


class TemplateIn(BaseModel):
    """A new version of a template in one language: Jinja2, rendered in a sandbox. The bodies extend the
    language's layout (`{% extends "base.txt" %}` / `"base.html"`, filling `{% block body %}`) or stand alone."""

    model_config = ConfigDict(extra="forbid")
    language: Language = "fr"
    subject: str = Field(min_length=1, max_length=1000, examples=["Votre facture {{ reference }} est disponible"])
    body_text: str = TemplateText
    body_html: str = TemplateText


class TemplateVersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    template: MailTemplate
    language: Language
    version: int
    subject: str
    body_text: str
    body_html: str
    author: str
    created_at: datetime


class TemplateSummary(BaseModel):
    template: MailTemplate
    versions: dict[Language, int] = Field(description="The newest version in each language that has one; a "
                                                      "language without one is mailed the French version.")


class TemplateOut(TemplateSummary):
    variables: dict[str, str] = Field(description="Every variable the template may use, with what it holds.")
    sample: dict[str, Any] = Field(description="The values the preview and the check before saving render with.")
    current: dict[Language, TemplateVersionOut]


class PreviewIn(BaseModel):
    """A draft to preview, or nothing to preview the current version in `language`."""

    model_config = ConfigDict(extra="forbid")
    language: Language = "fr"
    subject: str | None = None
    body_text: str | None = None
    body_html: str | None = None


class Preview(BaseModel):
    language: Language
    version: int | None = Field(description="The version previewed; null for a draft.")
    subject: str
    body_text: str
    body_html: str


class TestSendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    language: Language = "fr"
    to: EmailStr | None = Field(None, description="Where to send it; by default the operator's own address.")


class SenderIdentityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    organiser_id: UUID | None = Field(None, description="The organiser it sends for; null for the master entity's.")
    kind: SenderKind = Field(description="customer_service sends the clients' mail, hr the staff's, commercial "
                                         "campaigns.")
    name: str = Field(min_length=1, max_length=200, pattern=r"\S", examples=["Les Colos du Rhône"])
    address: EmailStr = Field(examples=["service-client@colos-du-rhone.fr"])
    reply_to: EmailStr | None = Field(None, description="Where answers go; by default the address.")


class SenderIdentityPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200, pattern=r"\S")
    address: EmailStr
    reply_to: EmailStr | None = None


class SenderIdentityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    organiser_id: UUID | None
    kind: SenderKind
    name: str
    address: str
    reply_to: str | None
    updated_at: datetime


class InvalidAddressOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    address: str
    reason: str
    email_id: UUID | None
    bounced_at: datetime
