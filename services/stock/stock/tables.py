"""The stock service's tables."""
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
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


class DepartureCity(Base):
    """A city a departure's transport leaves from and comes back to, with its round-trip fare."""

    __tablename__ = "departure_cities"
    __table_args__ = (
        UniqueConstraint("departure_id", "city", name="uq_departure_cities_departure_city"),
        CheckConstraint("fare >= 0", name="fare_not_negative"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    departure_id: Mapped[UUID] = mapped_column(ForeignKey("departures.id"), index=True)
    city: Mapped[str] = mapped_column(String(100))
    fare: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Extra(Base):
    """An optional add-on of a departure, with its own places; a null capacity is unlimited."""

    __tablename__ = "extras"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    departure_id: Mapped[UUID] = mapped_column(ForeignKey("departures.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    capacity: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
