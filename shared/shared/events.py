"""The event catalogue: the single source of the contract between services.

Every event is a pydantic model with its `TYPE` and major `VERSION`; the routing key is
`<TYPE>.v<VERSION>`. An event of an aggregate travels in an `Envelope` that carries the aggregate's
type, id and version (a counter bumped by every change), so that consumers can ignore stale or
reordered deliveries. Lifecycle events carry the resulting state, not only the change.
`docs/asyncapi.yaml` is generated from this module (`colo-asyncapi`).
"""
from datetime import date, datetime
from decimal import Decimal
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
    traceparent: str | None = Field(None, description="W3C trace context of the change that emitted the event "
                                                      "(OpenTelemetry), when it was traced.")

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
    legal_guardian_ids: list[UUID] = Field([], description="The client's legal guardians who answer for the "
                                                           "participant: whom a guardian's account may see.")


class GuardianSnapshot(BaseModel):
    """A legal guardian of the client, as notifications needs it to address e-mails."""

    guardian_id: UUID
    civility: str | None = None
    last_name: str
    first_name: str | None = None
    email: str | None = None


class ContactSnapshot(BaseModel):
    """A person of the client to copy on transactional e-mails."""

    contact_id: UUID
    name: str
    email: str | None = None
    copy_on_emails: bool = True


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
    language: Literal["fr", "en"] = Field("fr", description="The language the client reads its e-mails in.")
    client_type_id: UUID | None = None
    disputed: bool = False
    blocked: bool = False
    dormant: bool = False
    active: bool = True
    participants: list[ParticipantSnapshot] = []
    client_code: str | None = None
    category: str | None = None
    sales_operator: str | None = None
    siret: str | None = None
    vat_number: str | None = None
    vat_validated: bool = False
    tax_exempt: bool = False
    billing_excluding_tax: bool = False
    permanent_discount_rate: Decimal = Decimal("0.00")
    markup: Decimal | None = None
    all_offers: bool = False
    deferred_payment_allowed: bool = False
    credit_limit: Money | None = None
    referrer_id: UUID | None = None
    newsletter_consent: bool = False
    partner_offers_consent: bool = False
    legal_guardians: list[GuardianSnapshot] = []
    """Who receives the e-mails when the recipient preference is legal_guardian or both."""
    contacts: list[ContactSnapshot] = []
    inactive_message: str | None = Field(None, description="Shown to the person when an inactive client's account "
                                                           "tries to log in to the front office.")


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


class ClientTypeState(Event):
    """A client type and its flags as they are after the change: who may have a front-office account, order online,
    give its legal guardians accounts (seed 000)."""

    AGGREGATE: ClassVar[str] = "client_type"
    client_type_id: UUID
    name: str
    kind: Literal["private", "professional", "prospect"]
    front_office_account_allowed: bool
    front_office_ordering_allowed: bool
    documents_despite_incomplete_file: bool = False
    individual_membership_only: bool = False
    no_membership_on_group_orders: bool = False
    legal_guardian_accounts: bool = False


class ClientTypeCreated(ClientTypeState):
    TYPE: ClassVar[str] = "clients.client_type.created"


class ClientTypeUpdated(ClientTypeState):
    TYPE: ClassVar[str] = "clients.client_type.updated"


class NewsletterSubscriptionRequested(Event):
    """Someone asked for the newsletter on the public site: notifications mails a single-use link that confirms it,
    so that nobody subscribes someone else. The token travels here for the mail; clients keeps only its hash."""

    TYPE: ClassVar[str] = "clients.newsletter_subscription.requested"
    AGGREGATE: ClassVar[str] = "newsletter_subscription"
    subscription_id: UUID
    email: str
    display_name: str = ""
    token: str
    expires_at: datetime


# --- stock -----------------------------------------------------------------------------------


class DepartureStock(BaseModel):
    capacity: int
    held: int
    overdue: int
    confirmed: int
    free: int


class OfferedCity(BaseModel):
    city_id: UUID
    city: str
    fare: Money = Field(description="Round trip from and back to this city, per participant.")


class OfferedExtra(BaseModel):
    extra_id: UUID
    label: str
    price: Money


class OfferedAddOn(BaseModel):
    add_on_id: UUID
    label: str
    price: Money
    mandatory: bool


class ResellerAssignment(BaseModel):
    """A reseller (a professional client not in the trash) that may sell the departure, at this markup."""

    reseller_id: UUID
    name: str
    markup_percent: Decimal


class DepartureCatalogue(BaseModel):
    """What a booking of the departure is priced from (with the transport rule of its organiser's commercial
    settings), so that orders prices it from its copy without asking stock."""

    cities: list[OfferedCity] = []
    extras: list[OfferedExtra] = []
    add_ons: list[OfferedAddOn] = Field([], description="The departure's own add-ons and its stay's.")
    resellers: list[ResellerAssignment] = []


class DepartureState(Event):
    AGGREGATE: ClassVar[str] = "departure"
    departure_id: UUID
    stay_id: UUID
    stay_title: str
    start_date: date
    end_date: date
    base_price: Money
    stock: DepartureStock
    status: Literal["open", "closed"] = "open"
    organiser_id: UUID | None = None
    catalogue: DepartureCatalogue | None = Field(None, description=(
        "Cities, extras, add-ons, the transport rule and the resellers as they are now; a change of any of them, of "
        "the stay's title or organiser, is announced as `stock.departure.changed` with a new version."))


class DepartureCreated(DepartureState):
    TYPE: ClassVar[str] = "stock.departure.created"


class DepartureChanged(DepartureState):
    TYPE: ClassVar[str] = "stock.departure.changed"


class DepartureFull(DepartureState):
    TYPE: ClassVar[str] = "stock.departure.full"


class DepartureReopened(DepartureState):
    """Places can be sold again: free places came back from none, or a closed departure was opened."""

    TYPE: ClassVar[str] = "stock.departure.reopened"


class MembershipTerms(BaseModel):
    scope_organiser_id: UUID
    scope_name: str
    individual_fee: Money | None = None
    family_fee: Money | None = None
    year: str


class DepositTerms(BaseModel):
    percent: Decimal
    late_threshold_days: int
    late_percent: Decimal
    other_means_when_late: bool


class CommercialSettingsChanged(Event):
    """The rules that apply to the sale of an organiser's stays, resolved against the master entity (membership,
    deposit, option durations), as they are after a change of the organiser, of the master entity or its settings."""

    TYPE: ClassVar[str] = "stock.commercial_settings.changed"
    AGGREGATE: ClassVar[str] = "organiser"
    organiser_id: UUID
    membership: MembershipTerms | None = None
    deposit: DepositTerms
    option_days: int
    expired_option_days: int
    return_city_variation_percent: Decimal = Field(description="The master entity's raise on a round trip whose "
                                                               "return city differs from the outbound one (seed 001).")


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
    """Stock refused the places (or a modification): `reason` says why, for the operator."""

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


class ConsentAnswers(BaseModel):
    """The client's consents to be contacted as re-confirmed when ordering (seed 000): clients records them in the
    consent history, channel order, naming the order and who took it."""

    newsletter: bool
    partner_offers: bool
    recorded_by: str


class OrderPlaced(OrderState):
    TYPE: ClassVar[str] = "orders.order.placed"
    consents: ConsentAnswers | None = Field(None, description="Present when the client answered at this order.")


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
    """Cancelled by the client (fees from the stay's schedule) or the organiser (no fees): billing credits the
    current invoice and invoices the fees to `buyer` (a cancellation invoice)."""

    TYPE: ClassVar[str] = "orders.order.cancelled"
    cancelled_by: Literal["client", "organiser"]
    cancellation_reason: str | None = None
    days_before_departure: int | None = None
    fee_percent: Decimal = Field(Decimal("0.00"), description="Percentage of the total charged as fees.")
    cancellation_fees: Money = Decimal("0.00")
    amount_received: Money = Field(Decimal("0.00"), description="Money received (uncollected commitments excluded).")
    refund_due: Money = Decimal("0.00")
    buyer: "Buyer | None" = None


class Buyer(BaseModel):
    """The buyer's legal mentions as they must appear on an invoice."""

    client_id: UUID
    name: str
    address_lines: list[str] = []
    postal_code: str | None = None
    city: str | None = None
    country: str = "FR"
    email: str | None = None
    siren: str | None = Field(None, description="A professional buyer's SIREN, printed on its invoices.")
    vat_number: str | None = Field(None, description="A professional buyer's intra-EU VAT number, printed.")
    vat_exempt: bool = Field(False, description="The client record's VAT exemption: billed excluding tax.")
    intra_eu_professional: bool = Field(
        False, description="A professional of another EU state whose VAT number was checked: billed excluding tax, "
                           "reverse charge.")


OrderCancelled.model_rebuild()


class InvoiceLine(BaseModel):
    label: str
    quantity: int
    unit_price: Money
    amount: Money
    vat_rate: Money | None = Field(None, ge=0, le=100, description="VAT rate in percent (20.00, 5.50); none: the "
                                                                   "issuer's default rate.")


class InvoicingRequested(Event):
    TYPE: ClassVar[str] = "orders.invoicing.requested"
    AGGREGATE: ClassVar[str] = "order"
    order_id: UUID
    order_reference: str
    buyer: Buyer
    lines: list[InvoiceLine]
    total: Money
    amount_paid: Money
    organiser_id: UUID | None = Field(None, description="The stay's organiser: it invoices its own stays when the "
                                                        "master entity lets it.")


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
    deferred: bool = Field(False, description="A third-party payer's commitment, counted before it is collected.")
    third_party_payer_id: UUID | None = None
    participant_id: UUID | None = Field(None, description="The participant whose legal guardian paid.")
    pending_collection: Money = Decimal("0.00")


class PaymentCorrected(Event):
    """An operator corrected (or, with `deleted`, removed) a payment not yet locked in a deposit, an export or a
    transfer; `amount_paid` is what counts as paid on the order afterwards."""

    TYPE: ClassVar[str] = "orders.payment.corrected"
    AGGREGATE: ClassVar[str] = "order"
    order_id: UUID
    client_id: UUID
    payment_id: UUID
    deleted: bool = False
    amount: Money
    amount_paid: Money
    balance: Money
    pending_collection: Money


class CommitmentCollected(Event):
    """A third-party payer's commitment was collected (`received`: the money arrived) or declared `unpaid`: the
    client owes that amount again, and `amount_paid` (what counts as paid on the order) no longer includes it."""

    TYPE: ClassVar[str] = "orders.commitment.collected"
    AGGREGATE: ClassVar[str] = "order"
    order_id: UUID
    client_id: UUID
    payment_id: UUID
    third_party_payer_id: UUID | None = None
    amount: Money
    outcome: Literal["received", "unpaid"]
    received_on: date | None = None
    amount_paid: Money
    balance: Money
    pending_collection: Money


class OrderSettled(Event):
    """The order's settled flag changed: settled when payments (deferred commitments included) cover the
    total; published with `settled` false when an unpaid commitment makes the client owe money again."""

    TYPE: ClassVar[str] = "orders.order.settled"
    AGGREGATE: ClassVar[str] = "order"
    order_id: UUID
    reference: str
    client_id: UUID
    settled: bool
    total: Money
    amount_paid: Money
    balance: Money
    pending_collection: Money


class FileCompleted(Event):
    """The order's file (paperwork) flag changed: complete when every required document is checked; published
    with `complete` false when a checked document is refused or replaced."""

    TYPE: ClassVar[str] = "orders.file.completed"
    AGGREGATE: ClassVar[str] = "order"
    order_id: UUID
    reference: str
    client_id: UUID
    complete: bool
    missing_documents: list[str] = []


class TravelPackAttached(Event):
    """Joining instructions were attached to the order (its departure's, or its own) or replaced: the client (or the
    legal guardian, or both, per the client's preference) is told whether they can download them, and if not what
    is missing (documents, amount due)."""

    TYPE: ClassVar[str] = "orders.travel_pack.attached"
    AGGREGATE: ClassVar[str] = "order"
    order_id: UUID
    reference: str
    client_id: UUID
    departure_id: UUID
    travel_pack_id: UUID
    title: str
    scope: Literal["group", "individual"]
    replaced: bool = False
    available: bool
    missing_documents: list[str] = []
    amount_due: Money = Decimal("0.00")


class TravelPackAvailable(Event):
    """The order's travel pack available flag changed: available when joining instructions are shown to the order
    and the client may download them (settled and file complete, or the client type allows it anyway); published
    with `available` false when that stops being so (a payment undone, a document refused, the packs removed)."""

    TYPE: ClassVar[str] = "orders.travel_pack.available"
    AGGREGATE: ClassVar[str] = "order"
    order_id: UUID
    reference: str
    client_id: UUID
    available: bool
    settled: bool
    file_complete: bool


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
    kind: Literal["order", "cancellation"] = Field(
        "order", description="cancellation: the fees of a cancelled order, never the order's current invoice.")
    repeated: bool = Field(False, description=(
        "The order's current invoice announced again, because orders asked again for an invoice it already has "
        "(it re-drives a request it heard nothing about): nothing was issued, nobody is to be told again."))


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


class ClientDocumentIssued(Event):
    """A document outside an order's billing state: a service invoice (no order), or a partial credit note (the
    order stays invoiced). A client's balance and deletion guard count it."""

    TYPE: ClassVar[str] = "billing.client_document.issued"
    AGGREGATE: ClassVar[str] = "document"
    document_id: UUID
    kind: Literal["invoice", "credit_note"]
    client_id: UUID
    order_id: UUID | None = None
    invoice_id: UUID | None = Field(None, description="A credit note's invoice.")
    reference: str
    total: Money
    issued_at: datetime


class ReminderSent(Event):
    """A reminder of an unpaid balance, at its level: notifications mails it with the client's statement (billing's
    `statement_path`), orders writes it in the workflow of each unpaid order."""

    TYPE: ClassVar[str] = "billing.reminder.sent"
    AGGREGATE: ClassVar[str] = "reminder"
    reminder_id: UUID
    client_id: UUID
    level: int = Field(description="0 for the first level configured.")
    kind: Literal["friendly", "firm", "formal_notice"]
    text: str
    balance: Money
    invoice_reference: str = Field(description="The oldest unpaid invoice, which names the debt.")
    order_ids: list[UUID]
    statement_path: str = Field(description="Billing's path of the statement's PDF at the reminder's date.")
    sent_at: datetime


class DocumentRendered(Event):
    TYPE: ClassVar[str] = "billing.document.rendered"
    AGGREGATE: ClassVar[str] = "document"
    document_id: UUID
    kind: Literal["invoice", "credit_note"]
    reference: str
    order_id: UUID | None = Field(None, description="None for a service invoice.")
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
    resent_from: UUID | None = Field(None, description="A manual resend: the e-mail of the log it repeats.")
    resent_by: str | None = Field(None, description="A manual resend: the operator who asked for it.")


class AddressBounced(Event):
    """Mail to an address came back undeliverable for good (a delivery status notification): notifications holds
    the mail to it from then on; clients alerts an operator on each client with that address to correct it."""

    TYPE: ClassVar[str] = "notifications.address.bounced"
    AGGREGATE: ClassVar[str] = "address"
    address: str
    reason: str = Field(description="The receiving server's status and diagnostic, as the notification gave them.")
    email_id: UUID | None = Field(None, description="The e-mail that bounced, when the notification names it.")


class EmailFailed(Event):
    TYPE: ClassVar[str] = "notifications.email.failed"
    AGGREGATE: ClassVar[str] = "email"
    email_id: UUID
    template: str
    recipients: list[str]
    client_id: UUID | None = None
    order_id: UUID | None = None
    error: str


# --- identity ----------------------------------------------------------------------------------


class AccountState(Event):
    """An account as it is after the change: who it is, what it may do, whether it may log in. No secret."""

    AGGREGATE: ClassVar[str] = "account"
    account_id: UUID
    email: str
    display_name: str
    role: str
    permissions: list[str] = []
    client_id: UUID | None = None
    guardian_id: UUID | None = None
    active: bool


class AccountCreated(AccountState):
    TYPE: ClassVar[str] = "identity.account.created"


class AccountUpdated(AccountState):
    """Its name, role or permissions changed, or it was enabled again."""

    TYPE: ClassVar[str] = "identity.account.updated"


class AccountDisabled(AccountState):
    """It may no longer log in; its sessions are revoked."""

    TYPE: ClassVar[str] = "identity.account.disabled"


class AccountPasswordChanged(AccountState):
    """Its password was changed or chosen with a reset link; its sessions are revoked."""

    TYPE: ClassVar[str] = "identity.account.password_changed"


class AccountPasswordResetRequested(Event):
    """An account is to choose a password: notifications mails it a single-use link. A new account (`new_account`)
    chooses its first one.

    The token travels in this event because notifications must put it in the e-mail, and identity keeps only its
    hash. The event goes to notifications alone; it expires at `expires_at`.
    """

    TYPE: ClassVar[str] = "identity.password_reset.requested"
    AGGREGATE: ClassVar[str] = "account_password_reset"
    reset_id: UUID
    account_id: UUID
    email: str
    display_name: str = ""
    token: str
    expires_at: datetime
    new_account: bool = False
    role: str | None = Field(None, description="The account's role: a front-office account's link opens the family "
                                               "portal, a staff user's the back office.")
    client_id: UUID | None = Field(None, description="A front-office account's client.")


class EmailVerificationRequested(Event):
    """A family signed up (or asked again): notifications mails the single-use link that proves the e-mail is
    theirs. The token travels here for the mail; identity keeps only its hash."""

    TYPE: ClassVar[str] = "identity.email_verification.requested"
    AGGREGATE: ClassVar[str] = "email_verification"
    verification_id: UUID
    account_id: UUID
    client_id: UUID = Field(description="The client the account will belong to once verified.")
    email: str
    display_name: str = ""
    token: str
    expires_at: datetime


class SignUpVerified(Event):
    """A family proved its e-mail: its account is active and belongs to the client identity named; clients creates
    that client, a prospect until its first order, with what the family typed and its consents."""

    TYPE: ClassVar[str] = "identity.sign_up.verified"
    AGGREGATE: ClassVar[str] = "sign_up"
    account_id: UUID
    client_id: UUID
    email: str
    civility: str | None = None
    last_name: str
    first_name: str | None = None
    mobile: str | None = None
    address_lines: list[str] = []
    postal_code: str | None = None
    city: str | None = None
    country: str = "FR"
    newsletter_consent: bool = False
    partner_offers_consent: bool = False


class SignUpRepeated(Event):
    """Someone signed up with the e-mail of an account that exists: the answer did not say so, the owner is told by
    mail instead (it may log in, or choose a new password)."""

    TYPE: ClassVar[str] = "identity.sign_up.repeated"
    AGGREGATE: ClassVar[str] = "sign_up_attempt"
    account_id: UUID
    email: str
    display_name: str = ""
    client_id: UUID | None = None


CATALOGUE: dict[str, type[Event]] = {
    cls.routing_key(): cls
    for cls in (
        ClientCreated,
        ClientUpdated,
        ClientDeleted,
        ClientRestored,
        ClientAnonymised,
        ClientTypeCreated,
        ClientTypeUpdated,
        NewsletterSubscriptionRequested,
        DepartureCreated,
        DepartureChanged,
        DepartureFull,
        DepartureReopened,
        CommercialSettingsChanged,
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
        CommitmentCollected,
        PaymentCorrected,
        OrderSettled,
        FileCompleted,
        TravelPackAttached,
        TravelPackAvailable,
        CashbackUsed,
        InvoiceIssued,
        CreditNoteIssued,
        DocumentRendered,
        EmailSent,
        EmailFailed,
        AddressBounced,
        AccountCreated,
        AccountUpdated,
        AccountDisabled,
        AccountPasswordChanged,
        AccountPasswordResetRequested,
        EmailVerificationRequested,
        SignUpVerified,
        SignUpRepeated,
    )
}
