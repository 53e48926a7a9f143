"""The billing service's tables.

Issued documents never change: the migration adds a trigger that refuses any update of an invoice
or credit note other than storing its rendered PDF, and any deletion; and one that chains each document's
hash to the previous one of its series, so that a change made behind the triggers' back is found.
"""
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
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
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class Issuer(Base):
    """A legal entity that invoices: the master entity, or an organiser invoicing its own stays. `mentions` holds its
    current version's settings (`settings`, an IssuerSettings) and what documents print (`printed`, a Seller); each
    change is a new version, kept in `issuer_versions`. The columns beside repeat what queries filter on."""

    __tablename__ = "issuers"
    __table_args__ = (
        CheckConstraint("code ~ '^[A-Z]{0,4}$'", name="code_letters"),
        CheckConstraint("(code = '') = is_master", name="master_has_no_code"),
        Index("uq_issuers_one_master", "is_master", unique=True, postgresql_where=text("is_master")),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    code: Mapped[str] = mapped_column(String(4), unique=True,
                                      doc="Starts its series' names; empty for the master entity (F2026).")
    is_master: Mapped[bool] = mapped_column(Boolean)
    organiser_id: Mapped[UUID | None] = mapped_column(unique=True, doc="The organiser whose stays it invoices.")
    invoices_all_stays: Mapped[bool] = mapped_column(
        Boolean, default=True, doc="Master entity only: it invoices every stay, or each organiser with an issuer "
                                   "invoices its own.")
    version: Mapped[int] = mapped_column(Integer)
    mentions: Mapped[dict[str, Any]] = mapped_column(JSONB)
    default_vat_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    prices_include_tax: Mapped[bool] = mapped_column(Boolean)
    rounding: Mapped[str] = mapped_column(String(10))
    fiscal_first_start: Mapped[date] = mapped_column(Date)
    fiscal_first_end: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IssuerVersion(Base):
    """Every version of an issuer's settings, as the admin set them."""

    __tablename__ = "issuer_versions"

    issuer_id: Mapped[UUID] = mapped_column(ForeignKey("issuers.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))


class ClosedFiscalYear(Base):
    """A fiscal year closed by an accountant: nothing is dated in it any more."""

    __tablename__ = "closed_fiscal_years"

    issuer_id: Mapped[UUID] = mapped_column(ForeignKey("issuers.id"), primary_key=True)
    starts_on: Mapped[date] = mapped_column(Date, primary_key=True)
    ends_on: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str] = mapped_column(String(200))


class BillableService(Base):
    """A service sold outside a stay (membership fee, transport, ...), offered on service invoices."""

    __tablename__ = "billable_services"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    label: Mapped[str] = mapped_column(String(200))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    vat_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NumberSeries(Base):
    """The last number given in a series; its row lock serialises issuance across replicas."""

    __tablename__ = "number_series"

    series: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class DocumentColumns:
    """What invoices and credit notes both keep: their number and the snapshot they print."""

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    series: Mapped[str] = mapped_column(String(10))
    number: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    issuer_id: Mapped[UUID | None] = mapped_column(ForeignKey("issuers.id"),
                                                   doc="None for documents issued before issuers existed.")
    order_id: Mapped[UUID | None] = mapped_column(index=True, doc="None for a service invoice.")
    order_reference: Mapped[str | None] = mapped_column(String(50))
    client_id: Mapped[UUID] = mapped_column(index=True)
    buyer: Mapped[dict[str, Any]] = mapped_column(JSONB)
    seller: Mapped[dict[str, Any]] = mapped_column(JSONB)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2), doc="What the buyer owes (or is credited), tax included.")
    vat: Mapped[dict[str, Any] | None] = mapped_column(JSONB, doc="Its VAT totals (a VatSummary); None before VAT.")
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    chain_hash: Mapped[str | None] = mapped_column(
        String(64), doc="SHA-256 of the previous document's hash in its series and of this one's content, set by the "
                        "database at insert (see the migration); None for documents issued before the chain.")
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    rendered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Invoice(DocumentColumns, Base):
    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("series", "number", name="uq_invoices_series_number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    amount_paid: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    kind: Mapped[str] = mapped_column(String(20), default="order",
                                      doc="order: the booking's invoice; cancellation: the fees of a cancelled "
                                          "booking; service: services sold outside a stay, no order.")


class CreditNote(DocumentColumns, Base):
    """Cancels an invoice, wholly or in part (some lines, or an amount); amounts are positive, the kind says they are
    credited. The credit notes of an invoice never sum to more than it."""

    __tablename__ = "credit_notes"
    __table_args__ = (
        UniqueConstraint("series", "number", name="uq_credit_notes_series_number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    invoice_id: Mapped[UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    invoice_reference: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)


class OrderBilling(Base):
    """One order's billing account: its current (not credited) invoice, and the version sent in events."""

    __tablename__ = "order_billing"

    order_id: Mapped[UUID] = mapped_column(primary_key=True)
    client_id: Mapped[UUID] = mapped_column(index=True)
    current_invoice_id: Mapped[UUID | None] = mapped_column(ForeignKey("invoices.id"))
    version: Mapped[int] = mapped_column(Integer)



class Payment(Base):
    """A payment of an order, as orders announced it: the statement's credits. `version` is the order's version of
    the last event applied to it, so a late correction never undoes a newer one."""

    __tablename__ = "payments"

    payment_id: Mapped[UUID] = mapped_column(primary_key=True)
    order_id: Mapped[UUID] = mapped_column(index=True)
    client_id: Mapped[UUID] = mapped_column(index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), doc="0 once deleted, or once a commitment is unpaid.")
    method: Mapped[str] = mapped_column(String(50))
    deferred: Mapped[bool] = mapped_column(Boolean)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)


class Reminder(Base):
    """A reminder sent to a client about a debt (named by its oldest unpaid invoice): each level once per debt."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("client_id", "invoice_reference", "level", name="uq_reminders_once"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    client_id: Mapped[UUID] = mapped_column(index=True)
    invoice_reference: Mapped[str] = mapped_column(String(20), doc="The debt's oldest unpaid invoice.")
    level: Mapped[int] = mapped_column(Integer, doc="Index in the configured levels.")
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    balance: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    order_ids: Mapped[list[str]] = mapped_column(JSONB, doc="The orders whose invoices are unpaid.")
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
