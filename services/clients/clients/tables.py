"""The clients service's tables."""
from datetime import date, datetime
from decimal import Decimal
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
    String,
    Text,
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

    Names are unique whatever their case, so that "Revendeur" and "revendeur" are not two types.
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
        Index("ix_clients_search_text", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}),
        Index("ix_clients_phone_digits", "phone_digits", postgresql_using="gin",
              postgresql_ops={"phone_digits": "gin_trgm_ops"}),
        Index("ix_clients_trash", "deleted_at", "id", postgresql_where=text("deleted_at IS NOT NULL")),
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
    """Derived from the record by clients.domain.search, rewritten with every change: what a search matches."""
    phone_digits: Mapped[str] = mapped_column(Text)
    sort_name: Mapped[str] = mapped_column(String(254))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Set while the client is in the trash: hidden from searches, refused by every operation but restore."""
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    participants: Mapped[list["Participant"]] = relationship(
        lazy="selectin", order_by="[Participant.created_at, Participant.id]"
    )


class Participant(Base):
    """A child who goes on stays, attached to the client who books for them. No health data here yet."""

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
