"""The notifications service's tables: two projections fed by events, the templates operators edit, and the e-mails
with their delivery log."""
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class Contact(Base):
    """How to reach a client, as of the newest client event applied."""

    __tablename__ = "contacts"

    client_id: Mapped[UUID] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320))
    recipient_preference: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2), default="fr", server_default="fr")
    """The language the client reads its mail in."""
    version: Mapped[int] = mapped_column(Integer)
    guardian_emails: Mapped[list[str]] = mapped_column(ARRAY(String(320)), default=list, server_default="{}")
    """The client's legal guardians' addresses, for a client who wants its mail sent to them."""
    copy_emails: Mapped[list[str]] = mapped_column(ARRAY(String(320)), default=list, server_default="{}")
    """The client's contacts copied on every transactional e-mail."""


class Departure(Base):
    """What a client's e-mail says of the stay: its title and dates."""

    __tablename__ = "departures"

    departure_id: Mapped[UUID] = mapped_column(primary_key=True)
    stay_title: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date]
    end_date: Mapped[date]
    organiser_id: Mapped[UUID | None]
    """Whose stay it is: its mail goes out under that organiser's sender identity when it has one."""


class Email(Base):
    """One e-mail as rendered when its event arrived, and what became of it: the delivery log."""

    __tablename__ = "emails"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sent', 'failed', 'cancelled', 'held')", name="known_status"),
        Index("ix_emails_due", "next_attempt_at", postgresql_where=text("status = 'queued'")),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    template: Mapped[str] = mapped_column(String(50), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    recipients: Mapped[list[str]] = mapped_column(ARRAY(String(320)))
    bcc: Mapped[list[str]] = mapped_column(ARRAY(String(320)))
    cc: Mapped[list[str]] = mapped_column(ARRAY(String(320)), default=list, server_default="{}")
    sender: Mapped[str | None] = mapped_column(String(400))
    """The From header; null for mail queued before sender identities existed (the configured sender)."""
    reply_to: Mapped[str | None] = mapped_column(String(320))
    secret: Mapped[str | None] = mapped_column(Text)
    """What replaces the secret placeholder in the bodies when sending; erased once the mail is sent or abandoned."""
    client_id: Mapped[UUID | None] = mapped_column(index=True)
    order_id: Mapped[UUID | None] = mapped_column(index=True)
    event_id: Mapped[UUID] = mapped_column(unique=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    """Indexed: a relay's rate limit counts the mails of the last minute."""
    resent_from: Mapped[UUID | None] = mapped_column(ForeignKey("emails.id", ondelete="SET NULL"))
    """A manual resend: the e-mail it repeats, to the same or corrected recipients."""
    resent_by: Mapped[str | None] = mapped_column(String(200))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When its client was erased: the log keeps that this e-mail existed and what became of it, not to whom
    nor what it said."""


class TemplateVersion(Base):
    """One saved version of a template in one language; the newest is the one mailed. Never changed: an edit is
    a new version, so that what a client was sent can always be traced to its text."""

    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("template", "language", "version"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    template: Mapped[str] = mapped_column(String(50))
    language: Mapped[str] = mapped_column(String(2))
    version: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    """Who saved it: the operator's name or id, `shipped` for the versions Colo came with."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SenderIdentity(Base):
    """A sender of seed 004 (customer service, commercial, HR) for the master entity (no organiser) or one
    organiser."""

    __tablename__ = "sender_identities"
    __table_args__ = (UniqueConstraint("organiser_id", "kind", postgresql_nulls_not_distinct=True),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    organiser_id: Mapped[UUID | None]
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(320))
    reply_to: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EmailAttachment(Base):
    """A document mailed with an e-mail: fetched from its service outside any transaction before the mail may
    leave, then attached, or linked when it is too large to attach."""

    __tablename__ = "email_attachments"
    __table_args__ = (CheckConstraint("status IN ('pending', 'attached', 'linked')", name="known_status"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    email_id: Mapped[UUID] = mapped_column(ForeignKey("emails.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[UUID]
    filename: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    size: Mapped[int | None] = mapped_column(Integer)
    link: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Order(Base):
    """What the reminders need of an order, as of the newest order event applied."""

    __tablename__ = "orders"

    order_id: Mapped[UUID] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(50))
    client_id: Mapped[UUID]
    departure_id: Mapped[UUID]
    status: Mapped[str] = mapped_column(String(20), index=True)
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    amount_paid: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    option_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    settled: Mapped[bool] = mapped_column(default=False, server_default="false")
    """Payments, deferred commitments included, cover the total: no balance reminder."""
    missing_documents: Mapped[list[str] | None] = mapped_column(ARRAY(String(200)))
    """The documents still missing, as of orders' last word on the file; null until it said anything."""


class Reminder(Base):
    """A reminder sent: its key names what it reminds of (an option's deadline, a departure), so that each is sent
    once whatever the replicas and the restarts, and a new deadline gets its own."""

    __tablename__ = "reminders"

    order_id: Mapped[UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    email_id: Mapped[UUID]
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InvalidAddress(Base):
    """An address mail came back from for good: mail to it is held until an operator clears it."""

    __tablename__ = "invalid_addresses"

    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    """Lower case, as compared."""
    reason: Mapped[str] = mapped_column(Text)
    email_id: Mapped[UUID | None]
    bounced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
