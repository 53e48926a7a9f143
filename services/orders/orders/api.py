"""HTTP routes of the orders service: parse, authorise, call one use case, commit."""
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal, Self
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select

from orders import booking, payments, services
from orders.access import BOOKER_ROUTE, ORDER_ROUTE, Booker, OrderCaller, check_access, is_front_office, own_orders
from orders.booking import Adjustments
from orders.domain.breakdown import KINDS, AddOn
from orders.domain.payments import DEFERRED_METHOD, Collection
from orders.domain.pricing import balance
from orders.front_office import booking_party, invalid
from orders.gateways import Directory
from orders.snapshot import Snapshot
from orders.tables import Order, Payment, WorkflowEntry
from shared.app import UoW
from shared.auth import BackOffice, Principal, Staff
from shared.idempotency import IdempotencyKey, once
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page

router = APIRouter(tags=["orders"])


def directory(request: Request, uow: UoW) -> Directory:
    """What the request reads of clients and stock: orders' copies, in the request's own transaction."""
    return request.app.state.directory_for(uow)


Dir = Annotated[Directory, Depends(directory)]


class ParticipantChoice(BaseModel):
    participant_id: UUID
    outbound_city_id: UUID | None = Field(None, description="City of the departure to leave from (round trip).")
    return_city_id: UUID | None = Field(
        None, description="City to come back to: at creation the outbound city (a different one only by modifying).")
    extra_ids: list[UUID] = Field([], max_length=50, description="Extras of the departure, each at most once.")
    legal_guardian_id: UUID | None = Field(
        None, description="The client's legal guardian responsible for this participant (clients' "
                          "`GET /clients/{id}/legal-guardians`); a payment naming the participant is then this "
                          "guardian's.")

    @model_validator(mode="after")
    def coherent(self) -> "ParticipantChoice":
        if self.return_city_id is not None and self.outbound_city_id is None:
            raise ValueError("a return city needs an outbound city")
        if len(set(self.extra_ids)) != len(self.extra_ids):
            raise ValueError("an extra appears twice")
        return self


class AddOnIn(BaseModel):
    """A line typed by the operator for the whole order: a fee outside stock's catalogue, or a catalogue add-on at a
    price agreed case by case (seed 001 opens add-on prices to change). Stock's add-on products are chosen by id
    with `add_on_ids` instead, priced by stock."""

    label: str = Field(min_length=1, max_length=200, pattern=r"\S", examples=["Assurance annulation"])
    amount: Money = Field(ge=0, le=100_000, examples=["35.00"])


class AdjustmentsIn(BaseModel):
    """Add-on products, the cash discount and the reductions (at most one promo code, cashback from the wallet)."""

    add_on_ids: list[UUID] = Field(
        [], max_length=50, description="Optional add-on products of the departure (stock's `GET /departures/{id}/"
        "pricing?with_add_ons=true` lists them), for every participant at stock's price; the mandatory ones are "
        "always added.")
    add_ons: list[AddOnIn] = Field([], max_length=20, description="Lines typed by the operator, outside stock's "
                                                                  "catalogue, for the whole order.")
    cash_discount: Money = Field(Decimal("0.00"), ge=0, le=100_000, description="Free amount off, case by case.")
    promo_code: str | None = Field(None, min_length=1, max_length=40, pattern=r"^\S+$", examples=["ETE27"])
    cashback: Money = Field(Decimal("0.00"), ge=0, le=100_000, description="Taken from the client's wallet.")
    siblings_reduction: Money = Field(Decimal("0.00"), ge=0, le=100_000)
    referral_reduction: Money = Field(Decimal("0.00"), ge=0, le=100_000)

    @model_validator(mode="after")
    def add_ons_once(self) -> "AdjustmentsIn":
        if len(set(self.add_on_ids)) != len(self.add_on_ids):
            raise ValueError("an add-on appears twice")
        return self

    def adjustments(self) -> Adjustments:
        return Adjustments(tuple(AddOn(a.label, a.amount) for a in self.add_ons), self.cash_discount,
                           self.promo_code, self.cashback, self.siblings_reduction, self.referral_reduction)


class PlaceOrder(AdjustmentsIn):
    """Either `participant_ids` (stay only) or `participants` (with transport and extras), not both.

    A group order of a professional client books many participants at once."""

    client_id: UUID
    departure_id: UUID
    reseller_id: UUID | None = Field(
        None, description="The reseller (a professional client recorded in stock's `/resellers`) the order is sold "
                          "through, its client being the reseller's customer. Left out, a client that is itself a "
                          "reseller buys through itself (seed 000: only departures assigned to it can be sold to it). "
                          "Stock's prices then carry the reseller's markup; a departure not assigned to it is "
                          "refused (409 `departure_not_assigned`).")
    participant_ids: list[UUID] | None = Field(None, min_length=1, max_length=200)
    participants: list[ParticipantChoice] | None = Field(None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def one_form(self) -> "PlaceOrder":
        if (self.participant_ids is None) == (self.participants is None):
            raise ValueError("give exactly one of participant_ids and participants")
        ids = [c.participant_id for c in self.choices()]
        if len(set(ids)) != len(ids):
            raise ValueError("a participant appears twice")
        if any(c.return_city_id not in (None, c.outbound_city_id) for c in self.participants or []):
            raise ValueError("an order is created with the same outbound and return city; "
                             "choose another return city by modifying the order")
        return self

    def choices(self) -> list[services.Choice]:
        add_ons = tuple(self.add_on_ids)
        if self.participants is None:
            return [services.Choice(pid, add_on_ids=add_ons) for pid in self.participant_ids or []]
        return [services.Choice(c.participant_id, c.outbound_city_id, c.return_city_id, tuple(c.extra_ids),
                                add_on_ids=add_ons, legal_guardian_id=c.legal_guardian_id)
                for c in self.participants]


class ConsentsIn(BaseModel):
    """The client's answers about being contacted, as the front office collects them at each order (seed 000)."""

    model_config = ConfigDict(extra="forbid")
    newsletter: bool = Field(description="News and offers of the organiser.")
    partner_offers: bool = Field(description="Offers of the organiser's partners.")

    def consents(self) -> services.Consents:
        return services.Consents(self.newsletter, self.partner_offers)


class NewOrder(PlaceOrder):
    client_id: UUID | None = Field(
        None, description="The client the order is for: required from staff. From the front office, a family's "
                          "token books for its own client (left out, or its own id); a reseller's for itself (left "
                          "out) or for one of its customers (a client linked to it in clients).")
    consents: ConsentsIn | None = Field(
        None, description="The client's consents re-confirmed at this order; clients records them in its history.")
    additional_information: str | None = Field(
        None, max_length=2000, pattern=r"^[^\x00]*$",
        description="The client's own words for the organiser (seed 001), e.g. travelling with a friend.")

    STAFF_ONLY: ClassVar[tuple[str, ...]] = ("add_ons", "cash_discount", "siblings_reduction", "referral_reduction")
    """What the operator types; a front-office booking takes stock's prices, a promo code and its own cashback."""

    def check_front_office(self) -> None:
        given = [name for name in self.STAFF_ONLY if name in self.model_fields_set and getattr(self, name)]
        if given:
            raise invalid(given[0], "Set by staff only: a booking from the front office takes stock's prices.")


class ParticipantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    participant_id: UUID
    last_name: str
    first_name: str
    birth_date: date | None
    legal_guardian_id: UUID | None
    legal_guardian_name: str | None


class LineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    participant_id: UUID | None = Field(description="None for lines of the whole order.")
    kind: Literal[KINDS] = Field(description="Package (stay, transport, extra), add_on (stock's, per participant, "
                                             "or typed for the whole order), cash_discount, "
                                             "reductions (promo_code, cashback, siblings, referral), membership.")
    label: str
    quantity: int
    unit_price: Money
    amount: Money


class SummaryOut(BaseModel):
    """Seed 001's summary: package (stay + transport + extras), add-ons, cash discount, reductions, membership."""

    package: Money
    add_ons: Money
    cash_discount: Money
    reductions: Money
    membership: Money
    total: Money


class DepositOut(BaseModel):
    percent: Money
    amount: Money
    late: bool = Field(description="Booked fewer than the threshold days before departure: the late percentage.")
    front_office_means: list[Literal["card", "other"]]
    due_by: datetime | None = Field(
        None, description="The option's deadline: a payment by then validates the order, else the option lapses "
                          "(seed 001). Null before stock holds the places and once the order is validated.")


class PaymentView(BaseModel):
    """A payment as the family sees it."""

    model_config = ConfigDict(from_attributes=True)
    amount: Money
    method: str
    deferred: bool = Field(description="A third party's funding commitment, counted as paid (seed 001).")
    collection: Collection = Field(description="received; pending (commitment not collected yet); unpaid.")
    received_on: date | None
    received_at: datetime = Field(description="When the payment was recorded.")

    @classmethod
    def of(cls, payment: Payment) -> "PaymentView":
        return cls.model_validate({**{k: getattr(payment, k) for k in cls.model_fields if k != "deferred"},
                                   "deferred": payment.method == DEFERRED_METHOD})


class FrontOfficeOrderOut(BaseModel):
    """An order as its family, or the reseller that sold it, sees it: without staff's internal flags."""

    model_config = ConfigDict(from_attributes=True)
    id: UUID
    reference: str
    status: str
    client_id: UUID
    reseller_id: UUID | None = Field(description="The reseller the order is sold through; its markup is in the prices.")
    additional_information: str | None = None
    departure_id: UUID
    stay_title: str
    start_date: date
    end_date: date
    participants: list[ParticipantOut]
    unit_price: Money
    lines: list[LineOut] = Field(description="The price breakdown; the total is exactly their sum.")
    total: Money
    amount_paid: Money
    balance: Money
    settled: bool
    file_complete: bool
    invoiced: bool
    travel_pack_available: bool = Field(description="Joining instructions are shown and the client may download them.")
    invoice_id: UUID | None
    invoice_reference: str | None
    option_expires_at: datetime | None = Field(
        description="While an option: the deadline by which a payment validates it. The order starts pending and "
                    "becomes an option as soon as stock holds its places.")
    refusal_reason: str | None
    cancelled_by: str | None
    cancellation_reason: str | None
    cancellation_fees: Money | None
    refund_due: Money | None
    created_at: datetime
    updated_at: datetime

    summary: SummaryOut
    promo_code: str | None
    deposit: DepositOut | None = Field(description="The deposit asked at booking (seed 004) and its due date.")
    membership_note: str | None
    add_on_ids: list[UUID] = Field(description="The optional add-on products of stock chosen for every participant.")

    @classmethod
    def of(cls, order: Order, **more: object) -> Self:
        due = balance(order.total, order.amount_paid)
        derived = {"balance": due, "settled": due == 0, **booking.pricing_view(order), **more}
        own = {name: getattr(order, name) for name in cls.model_fields if name not in derived}
        return cls.model_validate({**own, **derived})


class FrontOfficeOrderDetailOut(FrontOfficeOrderOut):
    payments: list[PaymentView] = Field(description="The order's payments, oldest first.")


class OrderOut(FrontOfficeOrderOut):
    """An order as staff see it."""

    option_days: int | None = Field(description="Days the option lasts, from the stay organiser's commercial settings "
                                                 "when booked; null: orders' configured default.")
    expired_option_days: int | None = Field(description="Days an expired option waits before it is archived "
                                                         "automatically; null: orders' configured default.")
    version: int
    client_disputed: bool = Field(description="The client is disputed: show the order in red.")
    group_order: bool


def view(principal: Principal, order: Order) -> OrderOut | FrontOfficeOrderOut:
    """The order as the caller may see it."""
    return FrontOfficeOrderOut.of(order) if is_front_office(principal) else OrderOut.of(order)


class UninvoicingIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500, examples=["Changement de participant"])


class WorkflowOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    at: datetime
    action: str
    detail: str
    actor: str = Field(description="The account that acted (its id), or `system` for what an event or a job did.")
    actor_name: str | None = Field(description="Its name, else its e-mail, as its token said when it acted.")
    actor_email: str | None
    actor_role: str | None
    status: str


@router.post("/orders", status_code=201, response_model=OrderOut | FrontOfficeOrderOut, openapi_extra=BOOKER_ROUTE,
             summary="Book participants, with their transport and extras: the order starts pending, then becomes an "
                     "option with its deadline as soon as stock holds the places.",
             description="Staff book for any client. From the front office, a family's token books for its own "
                         "client and a reseller's for itself or one of its customers (see `client_id`), at stock's "
                         "prices with a promo code and the client's cashback, within what the client type allows "
                         "(403 `front_office_ordering_forbidden`: call customer service).",
             responses={403: {"description": "front_office_ordering_forbidden: the client type does not allow "
                                             "ordering online."},
                        409: {"description": "client_blocked, departure_not_assigned (the reseller may not sell "
                                             "this departure), promo code refusals, reductions_exceed_price, "
                                             "wallet_insufficient."}})
async def place_order(body: NewOrder, uow: UoW, principal: Booker, dir: Dir, key: IdempotencyKey = None):
    if is_front_office(principal):
        body.check_front_office()
    party = await booking_party(dir, principal, body.client_id, body.reseller_id)

    async def place() -> OrderOut | FrontOfficeOrderOut:
        order = await services.place_order(uow, dir, party.client_id, body.departure_id, body.choices(),
                                           principal.sub, body.adjustments(),
                                           body.consents.consents() if body.consents else None, party.reseller_id,
                                           body.additional_information, party.ordered_online_by)
        return view(principal, order)

    return await once(uow, key, f"orders:place:{principal.sub}", place)


@router.get("/orders", openapi_extra=ORDER_ROUTE,
            summary="List orders, filtered by client, reseller, departure, status and flags.",
            description="A family's token lists its own client's orders; a reseller's the orders sold through it "
                        "(its sales) and its own.")
async def list_orders(
    uow: Snapshot,
    principal: OrderCaller,
    client_id: Annotated[UUID | None, Query()] = None,
    reseller_id: Annotated[UUID | None, Query(description="Orders sold through this reseller.")] = None,
    departure_id: Annotated[UUID | None, Query()] = None,
    status: Annotated[Literal["pending", "option", "refused", "option_expired", "validated", "archived",
                              "cancelled"] | None, Query()] = None,
    invoiced: Annotated[bool | None, Query(description="Only orders with (true) or without (false) this flag.")] = None,
    settled: Annotated[bool | None, Query()] = None,
    file_complete: Annotated[bool | None, Query()] = None,
    travel_pack_available: Annotated[bool | None, Query()] = None,
    ids: Annotated[list[UUID], Query(max_length=200, description="Only these orders (repeat the parameter): which "
                                                                 "of them exist, for stock's reconciliation.")] = [],  # noqa: B006 - FastAPI copies query defaults
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[OrderOut] | Page[FrontOfficeOrderOut]:
    stmt = select(Order) if not ids else select(Order).where(Order.id.in_(ids))
    if is_front_office(principal):
        stmt = stmt.where(own_orders(principal))
    for column, value in ((Order.client_id, client_id), (Order.reseller_id, reseller_id),
                          (Order.departure_id, departure_id), (Order.status, status),
                          (Order.invoiced, invoiced), (Order.settled, settled), (Order.file_complete, file_complete),
                          (Order.travel_pack_available, travel_pack_available)):
        if value is not None:
            stmt = stmt.where(column == value)
    rows, next_cursor = await keyset_page(uow.session, stmt, Order.created_at, Order.id, limit, cursor)
    if is_front_office(principal):
        return Page[FrontOfficeOrderOut](items=[FrontOfficeOrderOut.of(r) for r in rows], next_cursor=next_cursor)
    return Page[OrderOut](items=[OrderOut.of(r) for r in rows], next_cursor=next_cursor)


@router.get("/orders/{order_id}", openapi_extra=ORDER_ROUTE,
            summary="One order: status, flags, participants, price breakdown, amounts; for the front office, with "
                    "its payments.")
async def get_order(order_id: UUID, uow: Snapshot, principal: OrderCaller) -> OrderOut | FrontOfficeOrderDetailOut:
    order = await services.get_order(uow, order_id)
    check_access(principal, order)
    if is_front_office(principal):
        paid = await payments.payments_of(uow, order.id)
        return FrontOfficeOrderDetailOut.of(order, payments=[PaymentView.of(p) for p in paid])
    return OrderOut.of(order)


@router.get("/orders/{order_id}/workflow", summary="The order's workflow log, oldest first.")
async def workflow(order_id: UUID, uow: Snapshot, _: BackOffice, limit: Limit = 100, cursor: Cursor = None
                   ) -> Page[WorkflowOut]:
    await services.get_order(uow, order_id)
    stmt = select(WorkflowEntry).where(WorkflowEntry.order_id == order_id)
    rows, next_cursor = await keyset_page(uow.session, stmt, WorkflowEntry.at, WorkflowEntry.seq, limit, cursor)
    return Page(items=[WorkflowOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/orders/{order_id}/invoicing", status_code=202,
             summary="Ask billing to invoice a validated order; the order shows invoiced once the invoice is issued.")
async def invoice(order_id: UUID, uow: UoW, principal: Staff) -> OrderOut:
    order = await services.request_invoicing(uow, order_id, principal.sub)
    await uow.commit()
    return OrderOut.of(order)


@router.post("/orders/{order_id}/uninvoicing", status_code=202,
             summary="Ask billing to cancel the order's invoice with a credit note.")
async def uninvoice(order_id: UUID, body: UninvoicingIn, uow: UoW, principal: Staff) -> OrderOut:
    order = await services.request_uninvoicing(uow, order_id, body.reason, principal.sub)
    await uow.commit()
    return OrderOut.of(order)


@router.post("/orders/{order_id}/archive", openapi_extra=BOOKER_ROUTE,
             summary="Archive an option or an expired option by hand; its places are freed.",
             description="Online, the family that booked it (or the reseller that sold it) gives up its option this "
                         "way; a validated order is cancelled only by an operator (409 "
                         "`cancellation_by_operator_only`).")
async def archive(order_id: UUID, uow: UoW, principal: Booker) -> OrderOut | FrontOfficeOrderOut:
    order = await services.get_order(uow, order_id, lock=True)
    check_access(principal, order, write=True)
    if is_front_office(principal):
        await services.give_up_option(uow, order, principal.sub, principal.role == "reseller")
    else:
        await services.archive(uow, order, principal.sub, "Archivage manuel.")
    await uow.commit()
    return view(principal, order)


@router.post("/orders/{order_id}/reinstatement", summary="Put an expired option back to option, with a new deadline.")
async def reinstate(order_id: UUID, uow: UoW, principal: Staff, request: Request) -> OrderOut:
    settings = request.app.state.settings
    order = await services.reinstate(uow, order_id, settings.option_days, principal.sub, settings.presentation())
    await uow.commit()
    return OrderOut.of(order)
