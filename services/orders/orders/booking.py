"""Pricing an order or a quote: the client and departure checked, each participant priced by stock, the
promo code, cashback, membership and deposit applied, in the caller's unit of work.

Orders, quotes and modifications all price through `price_booking`, so they agree to the cent.
"""
import zlib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select, text

from orders import cashback
from orders.domain import breakdown, membership, pricing, promo
from orders.domain.breakdown import AddOn, Breakdown, Reductions
from orders.domain.dates import paris_date
from orders.domain.deposit import Deposit, deposit_due
from orders.gateways import ClientInfo, CommercialSettings, DepartureInfo, Directory, GuardianInfo
from orders.tables import MembershipCharge, Order, OrderLine, OrderTerms, PromoCode
from shared import events
from shared.db import UnitOfWork
from shared.problems import DomainError, Problem

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Choice:
    """What one participant books besides the stay: a round trip (return city defaults to outbound), extras, the
    optional add-on products of stock chosen for the order (the mandatory ones always come)."""

    participant_id: UUID
    outbound_city_id: UUID | None = None
    return_city_id: UUID | None = None
    extra_ids: tuple[UUID, ...] = ()
    stay_price: Decimal | None = None
    transport_fare: Decimal | None = None
    add_on_ids: tuple[UUID, ...] = ()
    legal_guardian_id: UUID | None = None

    def as_json(self) -> dict[str, object]:
        return {"participant_id": str(self.participant_id),
                "outbound_city_id": str(self.outbound_city_id) if self.outbound_city_id else None,
                "return_city_id": str(self.return_city_id) if self.return_city_id else None,
                "extra_ids": [str(e) for e in self.extra_ids],
                "stay_price": str(self.stay_price) if self.stay_price is not None else None,
                "transport_fare": str(self.transport_fare) if self.transport_fare is not None else None,
                "add_on_ids": [str(a) for a in self.add_on_ids],
                "legal_guardian_id": str(self.legal_guardian_id) if self.legal_guardian_id else None}

    @classmethod
    def of_json(cls, data: dict[str, object]) -> "Choice":
        def uuid_or_none(value: object) -> UUID | None:
            return UUID(str(value)) if value else None

        def money_or_none(value: object) -> Decimal | None:
            return Decimal(str(value)) if value is not None else None

        return cls(UUID(str(data["participant_id"])), uuid_or_none(data.get("outbound_city_id")),
                   uuid_or_none(data.get("return_city_id")),
                   tuple(UUID(str(e)) for e in data.get("extra_ids") or []),  # type: ignore[union-attr]
                   money_or_none(data.get("stay_price")), money_or_none(data.get("transport_fare")),
                   tuple(UUID(str(a)) for a in data.get("add_on_ids") or []),  # type: ignore[union-attr]
                   uuid_or_none(data.get("legal_guardian_id")))


@dataclass(frozen=True)
class Adjustments:
    """What the operator adds to the participants' lines: typed add-on lines, discounts and reductions."""

    add_ons: tuple[AddOn, ...] = ()
    cash_discount: Decimal = ZERO
    promo_code: str | None = None
    cashback: Decimal = ZERO
    siblings: Decimal = ZERO
    referral: Decimal = ZERO


@dataclass(frozen=True)
class Frozen:
    """What a modification keeps of the order: its promo code as applied and the cashback it used."""

    promo: promo.Applied | None
    cashback: Decimal


@dataclass
class Priced:
    client: ClientInfo
    departure: DepartureInfo
    people: list[dict[str, object]]
    breakdown: Breakdown
    membership: membership.Outcome
    scope_id: UUID | None
    deposit: Deposit | None
    group_order: bool
    promo_code: PromoCode | None = None
    settings: CommercialSettings | None = None


CALL_CUSTOMER_SERVICE = ("La commande en ligne n'est pas ouverte pour votre compte : "
                         "contactez notre service client pour réserver.")
"""Seed 000: a client whose type does not allow front-office ordering is asked to call customer service."""


def unknown_client(client_id: UUID) -> Problem:
    return Problem(422, "unknown_client", "Unknown client", f"No client with id {client_id}.")


def check_not_blocked(client: ClientInfo) -> None:
    if client.blocked:
        raise DomainError("client_blocked", f"Le client {client.display_name} est bloqué : aucune commande possible.")


async def checked_client(directory: Directory, client_id: UUID, choices: list[Choice]) -> ClientInfo:
    """The client, which must exist, not be blocked and have every participant chosen."""
    client = await directory.client(client_id)
    if client is None:
        raise unknown_client(client_id)
    if any(c.participant_id not in client.participants for c in choices):  # one added since the copy was written?
        client = await directory.client(client_id, fresh=True) or client
    check_not_blocked(client)
    unknown = [str(c.participant_id) for c in choices if c.participant_id not in client.participants]
    if unknown:
        raise Problem(422, "unknown_participant", "Unknown participant",
                      f"Not participants of client {client.display_name}: {', '.join(unknown)}.")
    return client


async def check_online_ordering(directory: Directory, client: ClientInfo) -> None:
    """The client whose front-office account books (the family itself, or the reseller) must be of a type that
    allows ordering online, and not blocked: as clients says now, not as a copy may still say (a type closed to
    online ordering a moment ago refuses the next booking)."""
    check_not_blocked(client)
    terms = await directory.client_type(client.client_type_id, fresh=True) if client.client_type_id else None
    if terms is not None and not terms.front_office_ordering_allowed:
        raise Problem(403, "front_office_ordering_forbidden", "Online ordering not allowed", CALL_CUSTOMER_SERVICE)


async def participants_of(directory: Directory, client: ClientInfo, choices: list[Choice]) -> list[dict[str, object]]:
    """Each participant as the client record has it, with the legal guardian chosen for it (seed 001: every
    participant row has its guardian row), which must be one of the client's guardians."""
    people = []
    guardians: dict[UUID, GuardianInfo | None] = {}
    for choice in choices:
        person: dict[str, object] = {**client.participants[choice.participant_id], "legal_guardian_id": None,
                                     "legal_guardian_name": None}
        if choice.legal_guardian_id is not None:
            if choice.legal_guardian_id not in guardians:  # one query per guardian, however many children
                guardians[choice.legal_guardian_id] = await directory.legal_guardian(client.id,
                                                                                     choice.legal_guardian_id)
            guardian = guardians[choice.legal_guardian_id]
            if guardian is None:
                raise Problem(422, "unknown_legal_guardian", "Unknown legal guardian",
                              f"Not a legal guardian of client {client.display_name}: {choice.legal_guardian_id}.")
            person |= {"legal_guardian_id": guardian.id, "legal_guardian_name": guardian.name}
        people.append(person)
    return people


async def package_lines(directory: Directory, departure: DepartureInfo, client: ClientInfo, choices: list[Choice],
                        reseller_id: UUID | None = None) -> list[tuple[UUID, pricing.Line]]:
    quotes: dict[tuple[object, ...], pricing.ParticipantPrice] = {}
    priced: list[tuple[UUID, pricing.Line]] = []
    for choice in choices:
        person = client.participants[choice.participant_id]
        key = (choice.outbound_city_id, choice.return_city_id, choice.extra_ids, choice.add_on_ids)
        if key not in quotes:  # participants with the same choices share one query
            quotes[key] = await directory.price(departure.id, *key, reseller_id=reseller_id)
        name = f"{person['first_name']} {person['last_name']}"
        price = quotes[key]
        if choice.stay_price is not None:  # prices are open to change when modifying (seed 001)
            price = replace(price, base_price=choice.stay_price)
        if choice.transport_fare is not None and price.transport is not None:
            price = replace(price, transport=replace(price.transport, fare=choice.transport_fare))
        priced += [(choice.participant_id, line) for line in pricing.participant_lines(
            departure.stay_title, departure.start_date, departure.end_date, name, price)]
    return priced


async def promo_code_for(uow: UnitOfWork, code: str, today: date) -> PromoCode:
    """The code, locked until commit so that its uses are counted exactly, or a refusal saying why."""
    row = await uow.session.scalar(
        select(PromoCode).where(PromoCode.code == code.strip().upper()).with_for_update())
    if row is None:
        raise Problem(422, "unknown_promo_code", "Unknown promo code", f"No promo code {code!r}.")
    promo.check_usable(as_promo(row), today)
    return row


def as_promo(row: PromoCode) -> promo.PromoCode:
    return promo.PromoCode(row.code, promo.PromoKind(row.kind), row.value, row.valid_from, row.valid_until,
                           row.max_uses, row.uses)


async def membership_history(uow: UnitOfWork, client_id: UUID, scope_id: UUID, other_than: UUID | None
                             ) -> list[membership.Charge]:
    """The client's fees in the scope with their orders' current status, locked against a concurrent order."""
    await uow.session.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                              {"k": zlib.crc32(f"membership:{client_id}:{scope_id}".encode())})
    stmt = (select(MembershipCharge, Order.status).join(Order, Order.id == MembershipCharge.order_id)
            .where(MembershipCharge.client_id == client_id, MembershipCharge.scope_id == scope_id))
    if other_than is not None:
        stmt = stmt.where(MembershipCharge.order_id != other_than)
    return [membership.Charge(c.scope_id, c.order_id, c.participant_id, membership.FeeKind(c.kind), c.amount,
                              c.cycle_start, c.cycle_end, status)
            for c, status in (await uow.session.execute(stmt)).all()]


async def price_booking(uow: UnitOfWork, directory: Directory, client: ClientInfo, departure_id: UUID,
                        choices: list[Choice], asked: Adjustments, order_id: UUID | None = None,
                        frozen: Frozen | None = None, reseller_id: UUID | None = None) -> Priced:
    """Price the booking for the client `checked_client` gave; `frozen` carries the promo code and cashback of an
    order being modified, which never change (a percentage code is taken off the new price); sold through a
    reseller, stock's prices carry its markup (and a departure not assigned to it is refused).

    The promo code is looked up and locked but its use is only counted by `use_promo_code`, so a quote counts none.
    """
    departure = await directory.departure(departure_id)
    if departure is None:
        raise Problem(422, "unknown_departure", "Unknown departure", f"No departure with id {departure_id}.")
    today = paris_date(uow.clock.now())
    lines = await package_lines(directory, departure, client, choices, reseller_id)
    terms = await directory.client_type(client.client_type_id) if client.client_type_id else None
    group_order = client.kind == "professional"
    settings = await directory.commercial_settings(departure.organiser_id) if departure.organiser_id else None
    policy = settings.membership if settings else None
    history = await membership_history(uow, client.id, policy.scope_id, order_id) if policy else []
    outcome = membership.fees_for(policy, membership.ClientTerms(
        individual_only=bool(terms and terms.individual_membership_only), group_order=group_order,
        no_membership_on_group_orders=bool(terms and terms.no_membership_on_group_orders),
    ), [c.participant_id for c in choices], history, today)
    extras = list(asked.add_ons)
    base = breakdown.price_base(lines, extras)
    code = None
    if frozen is not None:
        off = (frozen.promo.code, frozen.promo.off(base)) if frozen.promo else None
        reductions = Reductions(off, frozen.cashback, asked.siblings, asked.referral)
        wallet = None
    else:
        code = await promo_code_for(uow, asked.promo_code, today) if asked.promo_code else None
        off = (code.code, promo.discount(as_promo(code), base)) if code else None
        reductions = Reductions(off, asked.cashback, asked.siblings, asked.referral)
        wallet = await cashback.available(uow, directory, client.id) if asked.cashback else None
    result = breakdown.build(lines, extras, asked.cash_discount, reductions, outcome.fees, wallet)
    deposit = deposit_due(settings.deposit, result.total, today, departure.start_date) if settings else None
    return Priced(client, departure, await participants_of(directory, client, choices), result, outcome,
                  policy.scope_id if policy else None, deposit, group_order, code, settings)


def order_lines(priced: Priced) -> list[OrderLine]:
    return [OrderLine(position=i, participant_id=e.participant_id, kind=e.kind, label=e.label, quantity=e.quantity,
                      unit_price=e.unit_price, amount=e.amount)
            for i, e in enumerate(priced.breakdown.entries)]


def order_terms(priced: Priced, choices: list[Choice]) -> OrderTerms:
    deposit, code = priced.deposit, priced.promo_code
    return OrderTerms(
        choices=[c.as_json() for c in choices],
        client_disputed=priced.client.disputed, group_order=priced.group_order,
        promo_code_id=code.id if code else None, promo_code=code.code if code else None,
        promo_percent=code.value if code and code.kind == promo.PromoKind.PERCENT else None,
        organiser_id=priced.departure.organiser_id,
        deposit_percent=deposit.percent if deposit else None, deposit_amount=deposit.amount if deposit else None,
        deposit_late=deposit.late if deposit else None,
        front_office_means=list(deposit.front_office_means) if deposit else [],
        membership_note=priced.membership.note,
    )


def use_promo_code(priced: Priced) -> None:
    """Count the code's use in the order's own transaction (the row is locked since pricing)."""
    if priced.promo_code is not None:
        priced.promo_code.uses += 1


async def record_membership(uow: UnitOfWork, order: Order, scope_id: UUID | None, outcome: membership.Outcome
                            ) -> None:
    """Replace the order's membership history with the fees it now charges."""
    for old in await uow.session.scalars(select(MembershipCharge).where(MembershipCharge.order_id == order.id)):
        await uow.session.delete(old)
    if scope_id is None:
        return
    for fee in outcome.fees:
        uow.session.add(MembershipCharge(
            client_id=order.client_id, scope_id=scope_id, order_id=order.id,
            participant_id=fee.participant_id, kind=fee.kind.value, amount=fee.amount,
            cycle_start=outcome.cycle_start, cycle_end=outcome.cycle_end, charged_at=uow.clock.now()))


def frozen_reductions(order: Order) -> Frozen:
    """The promo code and cashback an order was placed with: a modification keeps them."""
    promo_line = next((line for line in order.lines if line.kind == "promo_code"), None)
    cashback = sum((-line.amount for line in order.lines if line.kind == "cashback"), ZERO)
    terms = order.terms
    applied = promo.Applied(terms.promo_code, -promo_line.amount, terms.promo_percent) \
        if promo_line and terms and terms.promo_code else None
    return Frozen(applied, cashback)


def announce_cashback(uow: UnitOfWork, order: Order) -> None:
    """Tell clients to debit the wallet by the cashback the order uses (once per order: the event names it)."""
    used = sum((-line.amount for line in order.lines if line.kind == "cashback"), ZERO)
    if used:
        order.announce(events.CashbackUsed(order_id=order.id, client_id=order.client_id, amount=used),
                       new_version=False)


def pricing_view(order: Order) -> dict[str, object]:
    """What an order shows of its pricing: the summary of its lines, its client's flags, deposit and membership."""
    summary = Breakdown(tuple(breakdown.Entry(line.kind, line.label, line.amount) for line in order.lines)).summary()
    terms = order.terms
    deposit = None
    if terms is not None and terms.deposit_amount is not None:
        deposit = {"percent": terms.deposit_percent, "amount": terms.deposit_amount, "late": terms.deposit_late,
                   "front_office_means": terms.front_office_means, "due_by": order.option_expires_at}
    return {"client_disputed": bool(terms and terms.client_disputed), "group_order": bool(terms and terms.group_order),
            "summary": summary, "promo_code": terms.promo_code if terms else None, "deposit": deposit,
            "membership_note": terms.membership_note if terms else None,
            "add_on_ids": terms.choices[0].get("add_on_ids") or [] if terms and terms.choices else []}


def extra_quantities(order: Order) -> list[events.ExtraQuantity]:
    """How many of each extra the order books, from its participants' choices, for stock's extras capacity."""
    counts: dict[str, int] = {}
    for choice in order.terms.choices if order.terms is not None else []:
        for extra in choice.get("extra_ids") or []:
            counts[extra] = counts.get(extra, 0) + 1
    return [events.ExtraQuantity(extra_id=UUID(e), quantity=n) for e, n in sorted(counts.items())]
