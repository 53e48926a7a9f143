"""The stock service's tables."""
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
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


class Organiser(Base):
    """Who runs stays; exactly one is the master entity. Each sets its own membership fees."""

    __tablename__ = "organisers"
    __table_args__ = (
        Index("uq_organisers_one_master", "is_master", unique=True, postgresql_where=text("is_master")),
        CheckConstraint("individual_fee >= 0 AND family_fee >= 0", name="fees_not_negative"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(200))
    is_master: Mapped[bool] = mapped_column(Boolean, default=False)
    individual_fee: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    family_fee: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Of its commercial settings as announced (`stock.commercial_settings.changed`)."""


class MasterSettings(Base):
    """The master entity's commercial rules, which every organiser's sales follow."""

    __tablename__ = "master_settings"
    __table_args__ = (
        CheckConstraint("deposit_percent BETWEEN 0 AND 100 AND late_percent BETWEEN 0 AND 100",
                        name="deposit_percent_range"),
        CheckConstraint("late_threshold_days >= 0 AND option_days >= 0 AND expired_option_days >= 0",
                        name="days_not_negative"),
    )

    organiser_id: Mapped[UUID] = mapped_column(ForeignKey("organisers.id"), primary_key=True)
    membership_enabled: Mapped[bool] = mapped_column(Boolean)
    membership_managed_by: Mapped[str] = mapped_column(String(20))
    membership_year: Mapped[str] = mapped_column(String(20))
    deposit_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    late_threshold_days: Mapped[int] = mapped_column(Integer)
    late_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    other_means_when_late: Mapped[bool] = mapped_column(Boolean)
    return_city_variation_percent: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    option_days: Mapped[int] = mapped_column(Integer)
    expired_option_days: Mapped[int] = mapped_column(Integer)


class Stay(Base):
    __tablename__ = "stays"
    __table_args__ = (CheckConstraint("min_age <= max_age", name="ages_in_order"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    organiser_id: Mapped[UUID] = mapped_column(ForeignKey("organisers.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    required_documents: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    """[{code, label}]: what the file must hold before departure (health form, ...)."""
    cancellation_fees: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    """[{days_before, percent}] as strings and ints; see stock.domain.stays.cancellation_percent."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Departure(Base):
    __tablename__ = "departures"
    __table_args__ = (
        CheckConstraint("held >= 0 AND overdue >= 0 AND confirmed >= 0", name="buckets_not_negative"),
        CheckConstraint("held + overdue + confirmed <= capacity", name="never_oversold"),
        CheckConstraint("end_date >= start_date", name="ends_after_start"),
        CheckConstraint("base_price >= 0", name="price_not_negative"),
        CheckConstraint("status IN ('open', 'closed')", name="status_known"),
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
    status: Mapped[str] = mapped_column(String(10), default="open")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Hold(Base):
    """Where one order's places are, as of the newest order state stock has applied."""

    __tablename__ = "holds"

    order_id: Mapped[UUID] = mapped_column(primary_key=True)
    departure_id: Mapped[UUID] = mapped_column(ForeignKey("departures.id"), index=True)
    places: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    reseller_id: Mapped[UUID | None]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HoldExtra(Base):
    """Places of one extra held for an order; they sit in the same bucket as the order's places."""

    __tablename__ = "hold_extras"

    order_id: Mapped[UUID] = mapped_column(ForeignKey("holds.order_id"), primary_key=True)
    extra_id: Mapped[UUID] = mapped_column(ForeignKey("extras.id"), primary_key=True, index=True)
    quantity: Mapped[int] = mapped_column(Integer)


class DeselectedExtra(Base):
    """An extra an order gave up: once the extra has been full since, that order cannot choose it again (seed 001)."""

    __tablename__ = "deselected_extras"

    order_id: Mapped[UUID] = mapped_column(primary_key=True)
    extra_id: Mapped[UUID] = mapped_column(ForeignKey("extras.id"), primary_key=True)
    deselected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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
        CheckConstraint("held >= 0 AND overdue >= 0 AND confirmed >= 0", name="buckets_not_negative"),
        CheckConstraint("capacity IS NULL OR held + overdue + confirmed <= capacity", name="never_oversold"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    departure_id: Mapped[UUID] = mapped_column(ForeignKey("departures.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    capacity: Mapped[int | None] = mapped_column(Integer)
    held: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[int] = mapped_column(Integer, default=0)
    confirmed: Mapped[int] = mapped_column(Integer, default=0)
    full_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Last time its last place was taken."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.held - self.overdue - self.confirmed


class AddOn(Base):
    """An add-on product of a stay (every departure) or of one departure: mandatory or optional, with its price."""

    __tablename__ = "add_ons"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("(stay_id IS NULL) <> (departure_id IS NULL)", name="stay_or_departure"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    stay_id: Mapped[UUID | None] = mapped_column(ForeignKey("stays.id"), index=True)
    departure_id: Mapped[UUID | None] = mapped_column(ForeignKey("departures.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    mandatory: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Client(Base):
    """What stock knows of a client, from clients' events: its kind and its reseller terms (seed 000: a professional
    client's markup and "all offers" flag). A professional client with assigned departures, or all offers, is a
    reseller."""

    __tablename__ = "clients"
    __table_args__ = (CheckConstraint("markup IS NULL OR markup BETWEEN 0 AND 100", name="markup_percent"),)

    client_id: Mapped[UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    markup: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    """The default markup of its assignments, in percent; none is 0."""
    all_offers: Mapped[bool] = mapped_column(Boolean)
    deleted: Mapped[bool] = mapped_column(Boolean)
    """In clients' trash: no longer sold to."""
    all_offers_assigned_on: Mapped[date | None]
    """Stock's own: the day the nightly job last gave it every departure."""
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """When stock first learnt of the client."""


class Assignment(Base):
    """A departure a reseller may sell, at its own markup."""

    __tablename__ = "assignments"
    __table_args__ = (CheckConstraint("markup_percent >= 0", name="markup_not_negative"),)

    reseller_id: Mapped[UUID] = mapped_column(ForeignKey("clients.client_id"), primary_key=True)
    departure_id: Mapped[UUID] = mapped_column(ForeignKey("departures.id"), primary_key=True, index=True)
    markup_percent: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
