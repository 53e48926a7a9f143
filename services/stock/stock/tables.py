"""The stock service's tables."""
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class Stay(Base):
    __tablename__ = "stays"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Departure(Base):
    __tablename__ = "departures"
    __table_args__ = (
        CheckConstraint("held >= 0 AND overdue >= 0 AND confirmed >= 0", name="buckets_not_negative"),
        CheckConstraint("held + overdue + confirmed <= capacity", name="never_oversold"),
        CheckConstraint("end_date >= start_date", name="ends_after_start"),
        CheckConstraint("base_price >= 0", name="price_not_negative"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    stay_id: Mapped[UUID] = mapped_column(ForeignKey("stays.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    capacity: Mapped[int] = mapped_column(Integer)
    held: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[int] = mapped_column(Integer, default=0)
    confirmed: Mapped[int] = mapped_column(Integer, default=0)
    base_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Hold(Base):
    """Where one order's places are, as of the newest order state stock has applied."""

    __tablename__ = "holds"

    order_id: Mapped[UUID] = mapped_column(primary_key=True)
    departure_id: Mapped[UUID] = mapped_column(ForeignKey("departures.id"), index=True)
    places: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
