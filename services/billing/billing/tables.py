"""The billing service's tables.

Issued documents never change: the migration adds a trigger that refuses any update of an invoice
or credit note other than storing its rendered PDF, and any deletion.
"""
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


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
    order_id: Mapped[UUID] = mapped_column(index=True)
    order_reference: Mapped[str] = mapped_column(String(50))
    client_id: Mapped[UUID] = mapped_column(index=True)
    buyer: Mapped[dict[str, Any]] = mapped_column(JSONB)
    seller: Mapped[dict[str, Any]] = mapped_column(JSONB)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
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
                                      doc="order: the booking's invoice; cancellation: the fees of a cancelled booking.")


class CreditNote(DocumentColumns, Base):
    """Cancels an invoice for its full amount; amounts are positive, the kind says they are credited."""

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
