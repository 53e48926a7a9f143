"""The orders service's tables."""
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    Sequence,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, backref, mapped_column, relationship

from orders.domain.order import OrderAggregate
from shared.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


ORDER_NUMBERS = Sequence("order_number_seq", metadata=Base.metadata)


class Order(OrderAggregate, Base):
    __tablename__ = "orders"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    client_id: Mapped[UUID] = mapped_column(index=True)
    buyer: Mapped[dict[str, Any]] = mapped_column(JSONB, doc="The client's name and address when the order was placed.")
    departure_id: Mapped[UUID] = mapped_column(index=True)
    stay_title: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date]
    end_date: Mapped[date]
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    additional_information: Mapped[str | None] = mapped_column(
        Text, doc="The client's own words for the organiser (seed 001's « informations complémentaires »).")
    amount_paid: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer)
    invoiced: Mapped[bool] = mapped_column(default=False)
    invoice_id: Mapped[UUID | None]
    invoice_reference: Mapped[str | None] = mapped_column(String(30))
    billing_version: Mapped[int] = mapped_column(Integer, default=0)
    option_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    option_expired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reseller_id: Mapped[UUID | None] = mapped_column(
        index=True, doc="The reseller client the order is sold through (seed 000); stock takes places on validation.")
    option_days: Mapped[int | None] = mapped_column(
        Integer, doc="Days an option lasts, from the organiser's settings when booked; none: orders' configuration.")
    expired_option_days: Mapped[int | None] = mapped_column(
        Integer, doc="Days an expired option waits before it is archived; none: orders' configuration.")
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_by: Mapped[str | None] = mapped_column(String(20))
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    settled: Mapped[bool] = mapped_column(default=False)
    cancellation_fees: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    refund_due: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    auto_invoicing_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    invoicing_requested_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), doc="When invoicing was last asked of billing, until billing's invoice arrives.")
    required_documents: Mapped[list[dict[str, str]] | None] = mapped_column(
        JSONB, doc="The stay's required documents [{code, label}] when first asked; none before.")
    file_complete: Mapped[bool] = mapped_column(default=False)
    travel_pack_mode: Mapped[str | None] = mapped_column(String(20), doc="group or individual; none: the default.")
    travel_pack_available: Mapped[bool] = mapped_column(default=False, index=True, doc=(
        "Joining instructions are shown and the client may download them; kept by travel_pack_flag."))
    travel_pack_allowed: Mapped[bool] = mapped_column(default=False, doc=(
        "The client type lets the client download despite an incomplete file or a balance, as last asked."))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    participants: Mapped[list["OrderParticipant"]] = relationship(
        lazy="selectin", order_by="OrderParticipant.position", cascade="all, delete-orphan"
    )
    lines: Mapped[list["OrderLine"]] = relationship(
        lazy="selectin", order_by="OrderLine.position", cascade="all, delete-orphan"
    )


class OrderParticipant(Base):
    __tablename__ = "order_participants"

    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    participant_id: Mapped[UUID] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None]
    legal_guardian_id: Mapped[UUID | None] = mapped_column(doc="The client's legal guardian responsible for it.")
    legal_guardian_name: Mapped[str | None] = mapped_column(String(200))


class OrderLine(Base):
    """One line of the price breakdown, as priced when the order was placed; the order total is their sum."""

    __tablename__ = "order_lines"

    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[UUID | None] = mapped_column(doc="None for lines of the whole order (add-ons, discounts).")
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    method: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(200), default="")
    bank: Mapped[str] = mapped_column(String(100), default="")
    participant_id: Mapped[UUID | None]
    third_party_payer_id: Mapped[UUID | None] = mapped_column(ForeignKey("third_party_payers.id"), index=True)
    collection: Mapped[str] = mapped_column(String(20), default="received")
    received_on: Mapped[date | None] = mapped_column(doc="The day the money arrived; none while a commitment is pending.")
    batch_id: Mapped[UUID | None] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    provider_reference: Mapped[str | None] = mapped_column(String(255), unique=True, doc=(
        "The card payment provider's id of the payment (Stripe's payment intent): it is recorded once."))


class WorkflowEntry(Base):
    """The order's audit trail: every change, who made it, and the status after it."""

    __tablename__ = "workflow_log"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    """The account that acted (its id, the token's subject), or `system`."""
    actor_name: Mapped[str | None] = mapped_column(String(200))
    """Its name, else its e-mail, from its token when it acted: an account id alone names nobody to a reader."""
    actor_email: Mapped[str | None] = mapped_column(String(254))
    actor_role: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))


class OrderTerms(Base):
    """What priced the order besides its lines: the client's flags, the promo code, the deposit, the membership note."""

    __tablename__ = "order_terms"

    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    client_disputed: Mapped[bool] = mapped_column(default=False)
    group_order: Mapped[bool] = mapped_column(default=False)
    promo_code_id: Mapped[UUID | None] = mapped_column(ForeignKey("promo_codes.id"))
    promo_code: Mapped[str | None] = mapped_column(String(40))
    promo_percent: Mapped[Decimal | None] = mapped_column(
        Numeric(5, 2), doc="A percentage code's rate when applied: a modification takes it off the new price.")
    organiser_id: Mapped[UUID | None]
    deposit_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    deposit_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    deposit_late: Mapped[bool | None]
    front_office_means: Mapped[list[str]] = mapped_column(JSONB, default=list)
    membership_note: Mapped[str | None] = mapped_column(Text)
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list,
                                                          doc="Each participant's cities, extras and set prices.")

    order: Mapped[Order] = relationship(backref=backref("terms", uselist=False, lazy="selectin",
                                                        cascade="all, delete-orphan"))


class MembershipCharge(Base):
    """A membership fee charged to a client in a scope (master entity or organiser) and cycle, for an order and
    participant; the order's own status (joined, never copied) says whether the fee was really paid."""

    __tablename__ = "membership_charges"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    client_id: Mapped[UUID] = mapped_column(index=True)
    scope_id: Mapped[UUID]
    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    participant_id: Mapped[UUID]
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    cycle_start: Mapped[date] = mapped_column(Date)
    cycle_end: Mapped[date] = mapped_column(Date)
    charged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PromoCode(Base):
    __tablename__ = "promo_codes"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    max_uses: Mapped[int | None] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OrderModification(Base):
    """A modification that changes places, waiting for stock's answer to the `orders.order.modified` event of
    `version`; `proposal` is the order as it will be once stock confirms."""

    __tablename__ = "order_modifications"

    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    proposal: Mapped[dict[str, Any]] = mapped_column(JSONB)
    summary: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    through_stock: Mapped[bool] = mapped_column(default=False, doc="Proposed to stock rather than applied at once.")
    returned_by: Mapped[int | None] = mapped_column(Integer, doc=(
        "Withdrawn: the order version whose `orders.order.modified` asked stock to go back to the order as it is."))


QUOTE_NUMBERS = Sequence("quote_number_seq", metadata=Base.metadata)


class Quote(Base):
    """A priced proposal with the content of an order (participants and their choices, add-ons, reductions,
    membership) that holds no places; it can become an order until its validity date."""

    __tablename__ = "quotes"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    client_id: Mapped[UUID] = mapped_column(index=True)
    client_disputed: Mapped[bool] = mapped_column(default=False)
    reseller_id: Mapped[UUID | None] = mapped_column(doc="The reseller the quote is priced for, with its markup.")
    departure_id: Mapped[UUID]
    stay_title: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date]
    end_date: Mapped[date]
    participants: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    adjustments: Mapped[dict[str, Any]] = mapped_column(JSONB)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    deposit_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    membership_note: Mapped[str | None] = mapped_column(Text)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    order_id: Mapped[UUID | None] = mapped_column(ForeignKey("orders.id"))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
class ThirdPartyPayer(Base):
    """A body that funds part of a stay (CAF/VACAF, works council), chosen from this configured list."""

    __tablename__ = "third_party_payers"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    address: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(320))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PaymentBatch(Base):
    """A cheque deposit, an accounting export or a transfer: the payments it holds are locked."""

    __tablename__ = "payment_batches"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    kind: Mapped[str] = mapped_column(String(30))
    reference: Mapped[str] = mapped_column(String(100))
    bank: Mapped[str] = mapped_column(String(100), default="")
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))


class OrderDocument(Base):
    """A file attached to an order: a required document of the checklist (`code`) or any other document.

    Stored in this database (bytea), loaded only when downloaded."""

    __tablename__ = "order_documents"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), unique=True,
                                     doc="Upload order: the latest upload of a required document is the one that counts.")
    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    code: Mapped[str | None] = mapped_column(String(50), doc="The required document it provides; none for others.")
    title: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_by_client: Mapped[bool]
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    checked_by: Mapped[str | None] = mapped_column(String(200))
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refusal_reason: Mapped[str | None] = mapped_column(Text)


class OrderPdf(Base):
    """One version of the order's PDF: requested when the order is validated, modified or regenerated, rendered by
    a job from the snapshot taken then. Every version is kept."""

    __tablename__ = "order_pdfs"
    __table_args__ = (UniqueConstraint("order_id", "number", name="uq_order_pdfs_order_id_number"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    order_version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    requested_by: Mapped[str] = mapped_column(String(200))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    rendered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class TravelPack(Base):
    """Joining instructions: for a whole departure (group) or for one order (individual)."""

    __tablename__ = "travel_packs"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    departure_id: Mapped[UUID | None] = mapped_column(index=True)
    order_id: Mapped[UUID | None] = mapped_column(ForeignKey("orders.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    attached_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attached_by: Mapped[str] = mapped_column(String(200))
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Attendance(Base):
    """What an operator recorded for one participant on the stay; without a row, the default applies."""

    __tablename__ = "attendance"

    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    participant_id: Mapped[UUID] = mapped_column(primary_key=True)
    present: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(Text)
    marked_by: Mapped[str] = mapped_column(String(200))
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FollowUpNote(Base):
    """An operator's note on an order (seed 001's follow-up): exchanges with the client, anything the
    next operator must know. Internal: never shown to the client, never changed once written."""

    __tablename__ = "follow_up_notes"
    __table_args__ = (Index("ix_follow_up_notes_order_id_seq", "order_id", "seq"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), unique=True,
                                     doc="Writing order: two notes of one instant still read as written.")
    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)


class PaymentSession(Base):
    """A card payment on the provider's hosted page (a Stripe Checkout Session), from its opening until the provider's
    signed notification says what became of it."""

    __tablename__ = "payment_sessions"

    id: Mapped[str] = mapped_column(String(255), primary_key=True, doc="The provider's id of the session.")
    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    status: Mapped[str] = mapped_column(String(20))
    url: Mapped[str] = mapped_column(Text, doc="The hosted page the family pays on.")
    provider_payment_id: Mapped[str | None] = mapped_column(String(255))
    refusal: Mapped[str | None] = mapped_column(Text, doc="Why money paid could not be recorded on the order.")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProviderEvent(Base):
    """A notification of the card payment provider, once applied: its primary key makes a replay change nothing."""

    __tablename__ = "provider_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClientCopy(Base):
    """Clients' client as its newest event (or the back-fill, at version 0) states it: what a booking reads of it."""

    __tablename__ = "client_copies"

    client_id: Mapped[UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(300))
    client_type_id: Mapped[UUID | None]
    blocked: Mapped[bool]
    disputed: Mapped[bool]
    deleted: Mapped[bool]
    recipient_preference: Mapped[str] = mapped_column(String(20))
    buyer: Mapped[dict[str, Any]] = mapped_column(JSONB)
    participants: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    """[{participant_id, last_name, first_name, birth_date}]"""
    legal_guardians: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    """[{guardian_id, name}]"""


class ClientTypeCopy(Base):
    __tablename__ = "client_type_copies"

    client_type_id: Mapped[UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    individual_membership_only: Mapped[bool]
    no_membership_on_group_orders: Mapped[bool]
    front_office_ordering_allowed: Mapped[bool]
    documents_despite_incomplete_file: Mapped[bool]


class DepartureCopy(Base):
    """Stock's departure as its newest event states it, with what a booking of it is priced from."""

    __tablename__ = "departure_copies"

    departure_id: Mapped[UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    stay_id: Mapped[UUID]
    stay_title: Mapped[str] = mapped_column(String(200))
    organiser_id: Mapped[UUID | None]
    start_date: Mapped[date]
    end_date: Mapped[date]
    base_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    status: Mapped[str] = mapped_column(String(10))
    free: Mapped[int] = mapped_column(Integer)
    catalogue: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    """events.DepartureCatalogue; null when the copy came from an event that did not carry it yet."""


class ResellerAssignmentCopy(Base):
    """The resellers a departure may be sold by, from its copy's catalogue: one row each, to find a reseller."""

    __tablename__ = "reseller_assignment_copies"

    reseller_id: Mapped[UUID] = mapped_column(primary_key=True)
    departure_id: Mapped[UUID] = mapped_column(ForeignKey("departure_copies.departure_id", ondelete="CASCADE"),
                                               primary_key=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    markup_percent: Mapped[Decimal] = mapped_column(Numeric(6, 2))


class CommercialSettingsCopy(Base):
    """An organiser's commercial settings as stock's newest event states them (events.CommercialSettingsChanged)."""

    __tablename__ = "commercial_settings_copies"

    organiser_id: Mapped[UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB)
