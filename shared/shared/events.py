"""The event catalogue: the single source of the contract between services.

Every event is a pydantic model with its `TYPE` and major `VERSION`; the routing key is
`<TYPE>.v<VERSION>`. An event of an aggregate travels in an `Envelope` that carries the aggregate's
type, id and version (a counter bumped by every change), so that consumers can ignore stale or
reordered deliveries. Lifecycle events carry the resulting state, not only the change.
`docs/asyncapi.yaml` is generated from this module (`colo-asyncapi`).
"""
from datetime import date, datetime
from typing import Any, ClassVar, Literal
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

from shared.money import Money


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1
    AGGREGATE: ClassVar[str]

    @classmethod
    def routing_key(cls) -> str:
        return f"{cls.TYPE}.v{cls.VERSION}"


class Envelope(BaseModel):
    id: UUID = Field(default_factory=uuid4)
    type: str
    version: int
    occurred_at: datetime
    producer: str
    correlation_id: str
    causation_id: str | None = None
    aggregate_type: str
    aggregate_id: str
    aggregate_version: int
    data: dict[str, Any]

    @property
    def routing_key(self) -> str:
        return f"{self.type}.v{self.version}"


# --- clients ---------------------------------------------------------------------------------

RecipientPreference = Literal["client", "legal_guardian", "both"]


class ParticipantSnapshot(BaseModel):
    participant_id: UUID
    last_name: str
    first_name: str
    birth_date: date | None = None


class ClientState(Event):
    """The client as it is after the change. Health data never travels in events."""

    AGGREGATE: ClassVar[str] = "client"
    client_id: UUID
    kind: Literal["private", "professional", "prospect"]
    display_name: str = ""
    civility: str | None = None
    last_name: str | None = None
    first_name: str | None = None
    company_name: str | None = None
    email: str | None = None
    mobile: str | None = None
    landline: str | None = None
    address_lines: list[str] = []
    postal_code: str | None = None
    city: str | None = None
    country: str = "FR"
    recipient_preference: RecipientPreference = "client"
    client_type_id: UUID | None = None
    disputed: bool = False
    blocked: bool = False
    dormant: bool = False
    active: bool = True
    participants: list[ParticipantSnapshot] = []


class ClientCreated(ClientState):
    TYPE: ClassVar[str] = "clients.client.created"


class ClientUpdated(ClientState):
    TYPE: ClassVar[str] = "clients.client.updated"


class ClientDeleted(ClientState):
    """The client went to the trash: hidden and refused everywhere until restored."""

    TYPE: ClassVar[str] = "clients.client.deleted"


class ClientRestored(ClientState):
    """The client came back from the trash exactly as it was."""

    TYPE: ClassVar[str] = "clients.client.restored"


class ClientAnonymised(ClientState):
    """The client and its participants were irreversibly anonymised (GDPR erasure); the state carried is
    the anonymised one. Every service drops or anonymises its copy of the client's personal data."""

    TYPE: ClassVar[str] = "clients.client.anonymised"


# --- stock -----------------------------------------------------------------------------------


class DepartureStock(BaseModel):
    capacity: int
    held: int
    overdue: int
    confirmed: int
    free: int


class DepartureState(Event):
    AGGREGATE: ClassVar[str] = "departure"
    departure_id: UUID
    stay_id: UUID
    stay_title: str
    start_date: date
    end_date: date
    base_price: Money
    stock: DepartureStock


class DepartureCreated(DepartureState):
    TYPE: ClassVar[str] = "stock.departure.created"


class DepartureChanged(DepartureState):
    TYPE: ClassVar[str] = "stock.departure.changed"


class DepartureFull(DepartureState):
    TYPE: ClassVar[str] = "stock.departure.full"


class HoldConfirmed(Event):
    """Stock held the order's places (and its extras). The aggregate is the order's hold in stock.

    `order_version` names the order event answered, so that orders can tell the answer to a
    modification from the answer to the placement.
    """

    TYPE: ClassVar[str] = "stock.hold.confirmed"
    AGGREGATE: ClassVar[str] = "hold"
    order_id: UUID
    departure_id: UUID
    places: int
    order_version: int | None = None


class HoldRejected(Event):
    TYPE: ClassVar[str] = "stock.hold.rejected"
    AGGREGATE: ClassVar[str] = "hold"
    order_id: UUID
    departure_id: UUID
    places: int
    free: int
    reason: str
    order_version: int | None = None


# --- orders ----------------------------------------------------------------------------------

OrderStatus = Literal["pending", "option", "refused", "option_expired", "validated", "archived", "cancelled"]


class ExtraQuantity(BaseModel):
    extra_id: UUID
    quantity: int


class OrderState(Event):
    """The order after the change: every lifecycle event carries all a consumer needs to derive its own state."""

    AGGREGATE: ClassVar[str] = "order"
    order_id: UUID
    reference: str
    client_id: UUID
    departure_id: UUID
    status: OrderStatus
    places: int
    participant_ids: list[UUID]
    total: Money
    amount_paid: Money
    invoiced: bool
    option_expires_at: datetime | None = None
    refusal_reason: str | None = None
    extras: list[ExtraQuantity] = []
    reseller_id: UUID | None = None


class OrderPlaced(OrderState):
    TYPE: ClassVar[str] = "orders.order.placed"


class OrderOptioned(OrderState):
    TYPE: ClassVar[str] = "orders.order.optioned"


class OrderRefused(OrderState):
    TYPE: ClassVar[str] = "orders.order.refused"


class OrderOptionExpired(OrderState):
    TYPE: ClassVar[str] = "orders.order.option_expired"


class OrderReinstated(OrderState):
    TYPE: ClassVar[str] = "orders.order.reinstated"


class OrderValidated(OrderState):
    TYPE: ClassVar[str] = "orders.order.validated"


class OrderArchived(OrderState):
    TYPE: ClassVar[str] = "orders.order.archived"


class OrderModified(OrderState):
    """The order's departure, participants or extras are to change; stock answers with a hold
    event whose `order_version` is this event's aggregate version, and the order keeps its former
    state if stock refuses."""

    TYPE: ClassVar[str] = "orders.order.modified"


class OrderCancelled(OrderState):
    TYPE: ClassVar[str] = "orders.order.cancelled"
    cancelled_by: Literal["client", "organiser"]
    cancellation_reason: str | None = None


class Buyer(BaseModel):
    """The buyer's legal mentions as they must appear on an invoice."""

    client_id: UUID
    name: str
    address_lines: list[str] = []
    postal_code: str | None = None
    city: str | None = None
    country: str = "FR"
    email: str | None = None


class InvoiceLine(BaseModel):
    label: str
    quantity: int
    unit_price: Money
    amount: Money


class InvoicingRequested(Event):
    TYPE: ClassVar[str] = "orders.invoicing.requested"
    AGGREGATE: ClassVar[str] = "order"
    order_id: UUID
    order_reference: str
    buyer: Buyer
    lines: list[InvoiceLine]
    total: Money
    amount_paid: Money


class UninvoicingRequested(Event):
    TYPE: ClassVar[str] = "orders.uninvoicing.requested"
    AGGREGATE: ClassVar[str] = "order"
    order_id: UUID
    client_id: UUID
    reason: str


class PaymentRecorded(Event):
    TYPE: ClassVar[str] = "orders.payment.recorded"
    AGGREGATE: ClassVar[str] = "order"
    order_id: UUID
    client_id: UUID
    payment_id: UUID
    amount: Money
    method: str
    amount_paid: Money
    balance: Money


class CashbackUsed(Event):
    """Cashback from the client's wallet was applied to an order; clients debits the wallet once per order."""

    TYPE: ClassVar[str] = "orders.cashback.used"
    AGGREGATE: ClassVar[str] = "order"
    order_id: UUID
    client_id: UUID
    amount: Money


# --- billing ---------------------------------------------------------------------------------


class OrderBillingState(Event):
    """Billing's view of one order after the change; the aggregate is the order's billing account."""

    AGGREGATE: ClassVar[str] = "order_billing"
    order_id: UUID
    client_id: UUID
    invoiced: bool
    current_invoice_id: UUID | None


class InvoiceIssued(OrderBillingState):
    TYPE: ClassVar[str] = "billing.invoice.issued"
    invoice_id: UUID
    number: int
    reference: str
    total: Money
    issued_at: datetime


class CreditNoteIssued(OrderBillingState):
    TYPE: ClassVar[str] = "billing.credit_note.issued"
    credit_note_id: UUID
    number: int
    reference: str
    invoice_id: UUID
    invoice_reference: str
    total: Money
    reason: str
    issued_at: datetime


class DocumentRendered(Event):
    TYPE: ClassVar[str] = "billing.document.rendered"
    AGGREGATE: ClassVar[str] = "document"
    document_id: UUID
    kind: Literal["invoice", "credit_note"]
    reference: str
    order_id: UUID
    client_id: UUID


# --- notifications ---------------------------------------------------------------------------


class EmailSent(Event):
    TYPE: ClassVar[str] = "notifications.email.sent"
    AGGREGATE: ClassVar[str] = "email"
    email_id: UUID
    template: str
    recipients: list[str]
    client_id: UUID | None = None
    order_id: UUID | None = None


class EmailFailed(Event):
    TYPE: ClassVar[str] = "notifications.email.failed"
    AGGREGATE: ClassVar[str] = "email"
    email_id: UUID
    template: str
    recipients: list[str]
    client_id: UUID | None = None
    order_id: UUID | None = None
    error: str


CATALOGUE: dict[str, type[Event]] = {
    cls.routing_key(): cls
    for cls in (
        ClientCreated,
        ClientUpdated,
        ClientDeleted,
        ClientRestored,
        ClientAnonymised,
        DepartureCreated,
        DepartureChanged,
        DepartureFull,
        HoldConfirmed,
        HoldRejected,
        OrderPlaced,
        OrderOptioned,
        OrderRefused,
        OrderOptionExpired,
        OrderReinstated,
        OrderValidated,
        OrderArchived,
        OrderCancelled,
        OrderModified,
        InvoicingRequested,
        UninvoicingRequested,
        PaymentRecorded,
        CashbackUsed,
        InvoiceIssued,
        CreditNoteIssued,
        DocumentRendered,
        EmailSent,
        EmailFailed,
    )
}
