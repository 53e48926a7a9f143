"""The clients service's tables."""
from datetime import date, datetime
from uuid import UUID, uuid4

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    func,
    text,
)
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
        Index("ix_clients_phone_digits", "phone_digits", postgresql_using="gin",
              postgresql_ops={"phone_digits": "gin_trgm_ops"}),
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
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

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


class ClientWord(Base):
    """One word of a client's `search_text`, found by prefix: `word` compares byte-wise (collation "C"), so
    "the words starting with mich" is a range of the primary key. The client's creation time rides along
    in the index, so the matches of a search are put in creation order without reading the clients.

    Written only by clients.search_index, in the transaction that writes the client; no foreign key, so
    that a client's words need no index by client (they are found by the client's previous words).
    """

    __tablename__ = "client_words"
    __table_args__ = (PrimaryKeyConstraint("word", "client_id", postgresql_include=["created_at"]),)

    word: Mapped[str] = mapped_column(Text(collation="C"))
    client_id: Mapped[UUID]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
