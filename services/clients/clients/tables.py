"""The clients service's tables."""
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    Sequence,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class ClientType(Base):
    """A configured category of clients; its kind is the base kind every client of the type has.

    Names are unique whatever their case, so that "Revendeur" and "revendeur" are not two types. `version` is bumped
    by every change and travels with its events (identity decides front-office logins from the flags).
    """

    __tablename__ = "client_types"
    __table_args__ = (
        CheckConstraint("kind IN ('private', 'professional', 'prospect')", name="known_kind"),
        Index("uq_client_types_lower_name", func.lower(text("name")), unique=True),
        Index("ix_client_types_created_at_id", "created_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    front_office_account_allowed: Mapped[bool] = mapped_column(Boolean)
    front_office_ordering_allowed: Mapped[bool] = mapped_column(Boolean)
    documents_despite_incomplete_file: Mapped[bool] = mapped_column(Boolean)
    individual_membership_only: Mapped[bool] = mapped_column(Boolean)
    no_membership_on_group_orders: Mapped[bool] = mapped_column(Boolean)
    legal_guardian_accounts: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Client(Base):
    """Who signs the sales contract. `version` is bumped by every change and travels with its events."""

    __tablename__ = "clients"
    __table_args__ = (
        CheckConstraint("kind IN ('private', 'professional', 'prospect')", name="known_kind"),
        CheckConstraint("recipient_preference IN ('client', 'legal_guardian', 'both')", name="known_recipient"),
        CheckConstraint("kind <> 'private' OR last_name IS NOT NULL", name="private_has_last_name"),
        CheckConstraint("kind <> 'professional' OR company_name IS NOT NULL", name="professional_has_company"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_clients_created_at_id", "created_at", "id"),
        Index("ix_clients_sort_name_id", "sort_name", "id"),
        Index("ix_clients_postal_code_id", func.coalesce(text("postal_code"), ""), "id"),
        Index("ix_clients_client_type_id", "client_type_id"),
        Index("ix_clients_phone_digits", "phone_digits", postgresql_using="gin",
              postgresql_ops={"phone_digits": "gin_trgm_ops"}),
        Index("ix_clients_trash", "deleted_at", "id", postgresql_where=text("deleted_at IS NOT NULL")),
        Index("uq_clients_client_code", "client_code", unique=True),
        Index("ix_clients_email", "email"),
        Index("ix_clients_sort_name_postal_code", "sort_name", "postal_code"),
        Index("ix_clients_notes_text", "notes_text", postgresql_using="gin",
              postgresql_ops={"notes_text": "gin_trgm_ops"}),
        CheckConstraint("permanent_discount_rate BETWEEN 0 AND 100", name="discount_rate_percent"),
        CheckConstraint("markup IS NULL OR markup BETWEEN 0 AND 100", name="markup_percent"),
        CheckConstraint("credit_limit IS NULL OR credit_limit >= 0", name="credit_limit_positive"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    kind: Mapped[str] = mapped_column(String(20))
    civility: Mapped[str | None] = mapped_column(String(20))
    last_name: Mapped[str | None] = mapped_column(String(100))
    first_name: Mapped[str | None] = mapped_column(String(100))
    company_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    mobile: Mapped[str | None] = mapped_column(String(30))
    landline: Mapped[str | None] = mapped_column(String(30))
    address_lines: Mapped[list[str]] = mapped_column(ARRAY(String(200)), default=list)
    postal_code: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="FR")
    recipient_preference: Mapped[str] = mapped_column(String(20), default="client")
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    client_type_id: Mapped[UUID | None] = mapped_column(ForeignKey("client_types.id"))
    dormant: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    inactive_message: Mapped[str | None] = mapped_column(String(500))
    search_text: Mapped[str] = mapped_column(Text)
    """Derived from the record by clients.domain.search, rewritten with every change: what a search matches.

    Its words are also rows of `client_words`, which finds them by prefix (clients.search_index)."""
    phone_digits: Mapped[str] = mapped_column(Text)
    sort_name: Mapped[str] = mapped_column(String(254))
    work_phone: Mapped[str | None] = mapped_column(String(30))
    fax: Mapped[str | None] = mapped_column(String(30))
    birth_date: Mapped[date | None]
    sales_operator: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(100))
    internal_code_1: Mapped[str | None] = mapped_column(String(50))
    internal_code_2: Mapped[str | None] = mapped_column(String(50))
    client_code: Mapped[str] = mapped_column(String(40))
    siret: Mapped[str | None] = mapped_column(String(14))
    siren: Mapped[str | None] = mapped_column(String(9))
    naf_code: Mapped[str | None] = mapped_column(String(6))
    vat_number: Mapped[str | None] = mapped_column(String(20))
    vat_validated: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    tax_exempt: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    billing_excluding_tax: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    accounting_code: Mapped[str | None] = mapped_column(String(30))
    anonymous_accounting_code: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    permanent_discount_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0.00"),
                                                             server_default="0")
    payment_terms: Mapped[str | None] = mapped_column(String(200))
    deferred_payment_allowed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    deferred_payment_terms: Mapped[str | None] = mapped_column(Text)
    credit_limit: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    markup: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    all_offers: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    info: Mapped[str | None] = mapped_column(Text)
    welcome_message: Mapped[str | None] = mapped_column(Text)
    referrer_id: Mapped[UUID | None] = mapped_column(ForeignKey("clients.id"), index=True)
    newsletter_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    partner_offers_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    """The current consents; who gave them, when and how is in `consent_history`."""
    notes_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The words of `info`, derived like `search_text`: what a keyword search matches."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Set while the client is in the trash: hidden from searches, refused by every operation but restore."""
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    participants: Mapped[list["Participant"]] = relationship(
        lazy="selectin", order_by="[Participant.created_at, Participant.id]"
    )
    legal_guardians: Mapped[list["LegalGuardian"]] = relationship(
        lazy="selectin", order_by="[LegalGuardian.created_at, LegalGuardian.id]", cascade="all, delete-orphan"
    )
    contacts: Mapped[list["ClientContact"]] = relationship(
        lazy="selectin", order_by="[ClientContact.created_at, ClientContact.id]", cascade="all, delete-orphan"
    )


CLIENT_NUMBERS = Sequence("client_numbers", metadata=Base.metadata)
"""Numbers the default client codes: C0000001, C0000002, ..."""


class Participant(Base):
    """A child who goes on stays, attached to the client who books for them. Health data only encrypted."""

    __tablename__ = "participants"
    __table_args__ = (
        CheckConstraint("sex IN ('female', 'male')", name="known_sex"),
        Index("ix_participants_client_id_created_at_id", "client_id", "created_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    client_id: Mapped[UUID] = mapped_column(ForeignKey("clients.id"))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None]
    sex: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    address_lines: Mapped[list[str]] = mapped_column(ARRAY(String(200)), default=list, server_default="{}")
    postal_code: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="FR", server_default="FR")
    health_data: Mapped[str | None] = mapped_column(Text)
    """Allergies, treatments, diet and medical notes, encrypted by clients.health: ciphertext only."""

    guardian_links: Mapped[list["ParticipantGuardian"]] = relationship(
        lazy="selectin", order_by="ParticipantGuardian.legal_guardian_id", cascade="all, delete-orphan"
    )

    @property
    def legal_guardian_ids(self) -> list[UUID]:
        return [link.legal_guardian_id for link in self.guardian_links]


class LegalGuardian(Base):
    """An adult responsible for the client's participants; the same form as a client's. Its front-office account,
    if staff gave it one, is identity's."""

    __tablename__ = "legal_guardians"
    __table_args__ = (Index("ix_legal_guardians_client_id_created_at_id", "client_id", "created_at", "id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    client_id: Mapped[UUID] = mapped_column(ForeignKey("clients.id"))
    civility: Mapped[str | None] = mapped_column(String(20))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    mobile: Mapped[str | None] = mapped_column(String(30))
    landline: Mapped[str | None] = mapped_column(String(30))
    work_phone: Mapped[str | None] = mapped_column(String(30))
    address_lines: Mapped[list[str]] = mapped_column(ARRAY(String(200)), default=list)
    postal_code: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="FR")
    birth_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ParticipantGuardian(Base):
    """A legal guardian of the client who is responsible for this participant: what a guardian's front-office
    account sees of the client (seed 000: a guardian's account for a group order shows its own children only)."""

    __tablename__ = "participant_guardians"
    __table_args__ = (
        UniqueConstraint("participant_id", "legal_guardian_id", name="uq_participant_guardians_participant_guardian"),
        Index("ix_participant_guardians_legal_guardian_id", "legal_guardian_id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    """The link's own id, as the account history names what changed."""
    participant_id: Mapped[UUID] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    legal_guardian_id: Mapped[UUID] = mapped_column(ForeignKey("legal_guardians.id", ondelete="CASCADE"))
    client_id: Mapped[UUID] = mapped_column(ForeignKey("clients.id"), index=True)


class ClientContact(Base):
    """Someone at the client to copy on transactional e-mails."""

    __tablename__ = "client_contacts"
    __table_args__ = (Index("ix_client_contacts_client_id_created_at_id", "client_id", "created_at", "id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    client_id: Mapped[UUID] = mapped_column(ForeignKey("clients.id"))
    civility: Mapped[str | None] = mapped_column(String(20))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    copy_on_emails: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WalletEntry(Base):
    """One line of a client's wallet ledger: credits positive, debits negative; the balance is their sum."""

    __tablename__ = "wallet_entries"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        CheckConstraint("source IN ('cashback', 'referral', 'order')", name="known_source"),
        Index("uq_wallet_entries_client_id_reference", "client_id", "reference", unique=True),
        Index("ix_wallet_entries_client_id_created_at_id", "client_id", "created_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    client_id: Mapped[UUID] = mapped_column(ForeignKey("clients.id"))
    source: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    reference: Mapped[str] = mapped_column(String(100))
    order_id: Mapped[UUID | None]
    label: Mapped[str | None] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CustomField(Base):
    """An extra field of the client record, defined by an operator; names are unique whatever their case."""

    __tablename__ = "custom_fields"
    __table_args__ = (
        CheckConstraint("type IN ('text', 'number', 'date', 'yes_no', 'list')", name="known_type"),
        Index("uq_custom_fields_lower_name", func.lower(text("name")), unique=True),
        Index("ix_custom_fields_position_id", "position", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer)
    options: Mapped[list[str]] = mapped_column(ARRAY(String(200)), default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CustomValue(Base):
    """A client's value of a custom field, stored as JSON of the field's type."""

    __tablename__ = "custom_values"
    __table_args__ = (Index("ix_custom_values_field_id", "field_id"),)

    client_id: Mapped[UUID] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    field_id: Mapped[UUID] = mapped_column(ForeignKey("custom_fields.id"), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConsentRecord(Base):
    """One answer of a client about being contacted: given, withdrawn or confirmed, who recorded it,
    when and through which channel. Never changed: the history a data protection authority asks for."""

    __tablename__ = "consent_history"
    __table_args__ = (
        CheckConstraint("topic IN ('newsletter', 'partner_offers')", name="known_topic"),
        CheckConstraint("action IN ('given', 'withdrawn', 'confirmed')", name="known_action"),
        Index("ix_consent_history_client_id_recorded_at_id", "client_id", "recorded_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    client_id: Mapped[UUID] = mapped_column(ForeignKey("clients.id"))
    topic: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool] = mapped_column(Boolean)
    action: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(20))
    recorded_by: Mapped[str] = mapped_column(String(200))
    order_id: Mapped[UUID | None]
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NewsletterSubscription(Base):
    """Someone asked for the newsletter on the public site; it counts once the link mailed is followed, and is then
    deleted (the consent history keeps the proof). Only the token's hash is kept."""

    __tablename__ = "newsletter_subscriptions"
    __table_args__ = (CheckConstraint("expires_at > created_at", name="expires_after_creation"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    email: Mapped[str] = mapped_column(String(254))
    last_name: Mapped[str | None] = mapped_column(String(100))
    first_name: Mapped[str | None] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClientLink(Base):
    """A client linked to another with a commercial markup or discount, granted under a supervision code."""

    __tablename__ = "client_links"
    __table_args__ = (
        CheckConstraint("adjustment IN ('markup', 'discount')", name="known_adjustment"),
        CheckConstraint("rate > 0 AND rate <= 100", name="rate_percent"),
        CheckConstraint("client_id <> linked_client_id", name="not_itself"),
        Index("uq_client_links_client_id_linked_client_id", "client_id", "linked_client_id", unique=True),
        Index("ix_client_links_client_id_created_at_id", "client_id", "created_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    client_id: Mapped[UUID] = mapped_column(ForeignKey("clients.id"))
    linked_client_id: Mapped[UUID] = mapped_column(ForeignKey("clients.id"))
    adjustment: Mapped[str] = mapped_column(String(10))
    rate: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    granted_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OrderRecord(Base):
    """One of the client's orders as orders' newest lifecycle event describes it: order history and deletion guard.

    `state_version` and `paid_version` are the order versions the status and the amount paid come from:
    a lifecycle event and the payment event it goes with may share a version and arrive in any order.
    """

    __tablename__ = "client_orders"
    __table_args__ = (Index("ix_client_orders_client_id_placed_at", "client_id", "placed_at"),)

    order_id: Mapped[UUID] = mapped_column(primary_key=True)
    client_id: Mapped[UUID]
    reference: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    amount_paid: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    participant_ids: Mapped[list[UUID]] = mapped_column(ARRAY(Uuid))
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """When the earliest event seen of the order happened: its placement, once that event has arrived."""
    state_version: Mapped[int] = mapped_column(Integer)
    paid_version: Mapped[int] = mapped_column(Integer)


class BillingDocument(Base):
    """An invoice or credit note billing issued to the client: deletion guard and balance."""

    __tablename__ = "client_billing_documents"
    __table_args__ = (
        CheckConstraint("kind IN ('invoice', 'credit_note')", name="known_kind"),
        Index("ix_client_billing_documents_client_id", "client_id"),
    )

    document_id: Mapped[UUID] = mapped_column(primary_key=True)
    client_id: Mapped[UUID]
    order_id: Mapped[UUID]
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(50))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClientAlert(Base):
    """Something an operator must look at on a client (a prospect that ordered needs its right type)."""

    __tablename__ = "client_alerts"
    __table_args__ = (
        Index("ix_client_alerts_open", "created_at", "id", postgresql_where=text("cleared_at IS NULL")),
        Index("ix_client_alerts_client_id", "client_id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    client_id: Mapped[UUID] = mapped_column(ForeignKey("clients.id"))
    reason: Mapped[str] = mapped_column(String(50))
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cleared_by: Mapped[str | None] = mapped_column(String(200))


class HistoryEntry(Base):
    """One change to a client's account: who, when, which fields with their old and new values."""

    __tablename__ = "client_history"
    __table_args__ = (Index("ix_client_history_client_id_at_id", "client_id", "at", "id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    client_id: Mapped[UUID]
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(30))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    """The actor's name, else its e-mail, from its token: an account id alone names nobody to a reader."""
    actor_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(30))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[UUID]
    changes: Mapped[list[dict]] = mapped_column(JSONB)


class ErasureRequest(Base):
    """An erasure refused because the balance is not zero: the client is on the "to settle first" list."""

    __tablename__ = "erasure_requests"

    client_id: Mapped[UUID] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    requested_by: Mapped[str] = mapped_column(String(200))


class Segment(Base):
    """A saved dynamic query over clients: its criteria are applied anew at every listing or export."""

    __tablename__ = "segments"
    __table_args__ = (
        Index("uq_segments_lower_name", func.lower(text("name")), unique=True),
        Index("ix_segments_created_at_id", "created_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100))
    criteria: Mapped[dict] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClientWord(Base):
    """One word of a client's `search_text`, found by prefix within the year the client was created in: `word`
    compares byte-wise (collation "C"), so "the words starting with mich of the clients of 2021" is a range of
    the primary key, and a search sorted by creation reads the years in order until its page is full. The
    client's creation time rides along in the index, so the matches are put in creation order without reading
    the clients.

    Written only by clients.search_index, in the transaction that writes the client; no foreign key, so
    that a client's words need no index by client (they are found by the client's previous words).
    """

    __tablename__ = "client_words"
    __table_args__ = (PrimaryKeyConstraint("created_year", "word", "client_id", postgresql_include=["created_at"]),)

    created_year: Mapped[int] = mapped_column(SmallInteger)
    """The UTC year of `created_at`."""
    word: Mapped[str] = mapped_column(Text(collation="C"))
    client_id: Mapped[UUID]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClientCategory(Base):
    """A category operators create to tell clients apart (seed 002: « VIP », « Collectivités »); a client's
    `category` is one of their names. Names are unique whatever their case."""

    __tablename__ = "client_categories"
    __table_args__ = (Index("uq_client_categories_lower_name", func.lower(text("name")), unique=True),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
