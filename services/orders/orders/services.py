"""Orders use cases: each runs in the caller's unit of work and leaves the commit to it.

Each loads the order and calls the aggregate (`orders.domain.order`), which records its workflow lines and events;
the unit of work saves them on commit (`orders.unit_of_work`).
"""
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select

from orders import booking, resellers, unit_of_work
from orders.booking import Adjustments, Choice
from orders.domain import order as order_domain
from orders.domain.lifecycle import LABELS, Status
from orders.gateways import Directory
from orders.presentation import Presentation
from orders.tables import ORDER_NUMBERS, Order, OrderParticipant
from shared import events
from shared.db import OutboxRow, UnitOfWork
from shared.problems import DomainError, NotFound

SYSTEM = order_domain.SYSTEM


@dataclass(frozen=True)
class Consents:
    """The client's answers about being contacted, restated at each order (seed 000); clients keeps them."""

    newsletter: bool
    partner_offers: bool

EVENT_OF_STATUS = order_domain.EVENT_OF_STATUS
order_state = order_domain.order_state


def _log(uow: UnitOfWork, order: Order, action: str, detail: str, actor: str) -> None:
    """A workflow line, written by the unit of work with the actor's name and e-mail when its token is the actor's."""
    order.note(action, detail, actor)


async def get_order(uow: UnitOfWork, order_id: UUID, lock: bool = False) -> Order:
    order = await uow.session.get(Order, order_id, with_for_update=lock)
    if order is None:
        raise NotFound("order", order_id)
    return order


async def place_order(uow: UnitOfWork, directory: Directory, client_id: UUID, departure_id: UUID,
                      choices: list[Choice], actor: str, asked: Adjustments = Adjustments(),
                      consents: Consents | None = None, reseller_id: UUID | None = None,
                      additional_information: str | None = None, ordered_online_by: UUID | None = None) -> Order:
    """Place the order; the client's consent answers, when given, travel on its placed event for clients to record.

    Booked online, `ordered_online_by` is the client whose front-office account books (the client itself, or the
    reseller it is sold through): its type must allow ordering online."""
    client = await booking.checked_client(directory, client_id, choices)
    if ordered_online_by is not None:  # whether its account may order online, as its owner says now
        orderer = await directory.client(ordered_online_by, fresh=True)
        if orderer is None:
            raise booking.unknown_client(ordered_online_by)
        await booking.check_online_ordering(directory, orderer)
    reseller = await resellers.reseller_of(directory, client, reseller_id)
    priced = await booking.price_booking(uow, directory, client, departure_id, choices, asked,
                                         reseller_id=reseller.client_id if reseller else None)
    departure = priced.departure
    number = await uow.session.scalar(ORDER_NUMBERS.next_value())
    now = uow.clock.now()
    order = Order(
        reference=f"C{number:06d}", client_id=client.id, buyer=client.buyer, departure_id=departure.id,
        stay_title=departure.stay_title, start_date=departure.start_date, end_date=departure.end_date,
        unit_price=departure.base_price, total=priced.breakdown.total,
        amount_paid=Decimal("0.00"),
        status=Status.PENDING, version=0, invoiced=False, billing_version=0, created_at=now, updated_at=now,
        reseller_id=reseller.client_id if reseller else None, additional_information=additional_information,
        participants=[
            OrderParticipant(participant_id=c.participant_id, position=i, last_name=p["last_name"],
                             first_name=p["first_name"], birth_date=p.get("birth_date"),
                             legal_guardian_id=p["legal_guardian_id"], legal_guardian_name=p["legal_guardian_name"])
            for i, (c, p) in enumerate(zip(choices, priced.people, strict=True))
        ],
        lines=booking.order_lines(priced),
    )
    if priced.settings is not None:
        order.option_days, order.expired_option_days = priced.settings.option_days, priced.settings.expired_option_days
    order.terms = booking.order_terms(priced, choices)
    uow.session.add(order)
    await uow.session.flush()
    await booking.record_membership(uow, order, priced.scope_id, priced.membership)
    booking.use_promo_code(priced)
    sold_by = f", vendue par le revendeur {reseller.name}" if reseller else ""
    online = " en ligne" if ordered_online_by else ""
    answers = events.ConsentAnswers(newsletter=consents.newsletter, partner_offers=consents.partner_offers,
                                    recorded_by=actor) if consents else None
    order.placed(f"Commande créée{online} pour {len(choices)} participant(s), {order.total} €{sold_by}.", actor,
                 answers)
    booking.announce_cashback(uow, order)
    await unit_of_work.save_orders(uow)  # saved now: its answer, written before the commit, shows its version
    return order


async def hold_confirmed(uow: UnitOfWork, order_id: UUID, option_days: int, presentation: Presentation) -> None:
    order = await get_order(uow, order_id, lock=True)
    order.hold_confirmed(uow.clock.now(), option_days, presentation.moment)


async def hold_rejected(uow: UnitOfWork, order_id: UUID, reason: str) -> None:
    order = await get_order(uow, order_id, lock=True)
    order.hold_rejected(reason)


async def request_invoicing(uow: UnitOfWork, order_id: UUID, actor: str) -> Order:
    order = await get_order(uow, order_id, lock=True)
    if order.status != Status.VALIDATED:
        raise DomainError("not_validated", f"Seule une commande validée se facture ; celle-ci est {LABELS[Status(order.status)]}.")
    if order.invoiced:
        raise DomainError("already_invoiced", f"La commande est déjà facturée ({order.invoice_reference}).")
    _ask_for_invoice(uow, order, "Facturation demandée.", actor)
    return order


def _ask_for_invoice(uow: UnitOfWork, order: Order, detail: str, actor: str) -> None:
    """Ask billing for the order's invoice; the request stays unanswered until billing's invoice arrives."""
    order.invoicing_requested_at = uow.clock.now()
    order.note("invoicing_requested", detail, actor)
    order.announce(
        events.InvoicingRequested(
            order_id=order.id, order_reference=order.reference, buyer=events.Buyer.model_validate(order.buyer),
            lines=[events.InvoiceLine(label=line.label, quantity=line.quantity, unit_price=line.unit_price,
                               amount=line.amount)
                   for line in order.lines],
            total=order.total, amount_paid=order.amount_paid,
        ),
    )


async def request_uninvoicing(uow: UnitOfWork, order_id: UUID, reason: str, actor: str) -> Order:
    order = await get_order(uow, order_id, lock=True)
    if not order.invoiced:
        raise DomainError("not_invoiced", "La commande n'est pas facturée : rien à défacturer.")
    order.note("uninvoicing_requested", f"Défacturation demandée : {reason}", actor)
    order.announce(events.UninvoicingRequested(order_id=order.id, client_id=order.client_id, reason=reason))
    return order


async def billing_changed(
    uow: UnitOfWork, state: events.OrderBillingState, billing_version: int, invoice_reference: str | None, detail: str,
    action: str | None = None,
) -> None:
    """Billing issued an invoice or a credit note: the order takes billing's newest view of it.

    Billing's own version orders its events, so a late invoice event never re-invoices a credited order.
    """
    order = await get_order(uow, state.order_id, lock=True)
    if billing_version <= order.billing_version:
        return
    order.billing_version = billing_version
    order.invoiced = state.invoiced
    order.invoice_id = state.current_invoice_id
    order.invoice_reference = invoice_reference if state.invoiced else None
    if state.invoiced:
        order.invoicing_requested_at = None
    order.updated_at = uow.clock.now()
    order.note(action or ("invoiced" if state.invoiced else "uninvoiced"), detail, SYSTEM)


async def archive(uow: UnitOfWork, order: Order, actor: str, detail: str) -> None:
    order.archive(actor, detail)


async def give_up_option(uow: UnitOfWork, order: Order, actor: str, by_reseller: bool) -> None:
    """The family, or the reseller that sold the order, gives up its option from the front office."""
    order.give_up(actor, by_reseller)


async def reinstate(uow: UnitOfWork, order_id: UUID, option_days: int, actor: str, presentation: Presentation
                    ) -> Order:
    order = await get_order(uow, order_id, lock=True)
    order.reinstate(uow.clock.now(), option_days, actor, presentation.moment)
    return order


async def expire(uow: UnitOfWork, order: Order) -> None:
    order.expire(uow.clock.now())


async def redrive_placement(uow: UnitOfWork, order: Order, waited: str) -> None:
    """Stock has not answered the order's placement, whose event may have been lost on the way. The order announces
    its pending state again under a new version, which stock's version guard takes (its inbox and guard skip a mere
    replay), with the consents the first announcement carried for clients."""
    placed = await uow.session.scalar(
        select(OutboxRow.envelope).where(OutboxRow.aggregate_id == str(order.id),
                                         OutboxRow.routing_key == events.OrderPlaced.routing_key())
        .order_by(OutboxRow.seq).limit(1))
    order.redrive_placement(waited, placed["data"].get("consents") if placed else None)


def redrive_invoicing(uow: UnitOfWork, order: Order, waited: str) -> None:
    """Billing has not answered the order's invoicing request: the request goes again under a new version; billing
    issues the invoice once, whichever request it applies."""
    _ask_for_invoice(uow, order, f"Facturation demandée à nouveau : sans réponse depuis {waited}.", SYSTEM)
