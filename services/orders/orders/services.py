"""Orders use cases: each runs in the caller's unit of work and leaves the commit to it.

Every change bumps the order's version, writes the workflow log and emits the lifecycle event with
the order's resulting state.
"""
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select

from orders import booking, resellers
from orders.booking import Adjustments, Choice
from orders.domain.lifecycle import (
    LABELS,
    Action,
    Status,
    give_up,
    next_status,
    option_deadline,
)
from orders.gateways import Directory
from orders.presentation import Presentation
from orders.tables import ORDER_NUMBERS, Order, OrderParticipant, WorkflowEntry
from shared import events
from shared.auth import acting
from shared.db import OutboxRow, UnitOfWork
from shared.problems import DomainError, NotFound

SYSTEM = "system"


@dataclass(frozen=True)
class Consents:
    """The client's answers about being contacted, restated at each order (seed 000); clients keeps them."""

    newsletter: bool
    partner_offers: bool

EVENT_OF_STATUS: dict[Status, type[events.OrderState]] = {
    Status.PENDING: events.OrderPlaced,
    Status.OPTION: events.OrderOptioned,
    Status.REFUSED: events.OrderRefused,
    Status.OPTION_EXPIRED: events.OrderOptionExpired,
    Status.VALIDATED: events.OrderValidated,
    Status.ARCHIVED: events.OrderArchived,
    Status.CANCELLED: events.OrderCancelled,
}


def order_state(cls: type[events.Event], order: Order, **extra: object) -> events.Event:
    return cls(
        order_id=order.id, reference=order.reference, client_id=order.client_id, departure_id=order.departure_id,
        status=order.status, places=len(order.participants),
        participant_ids=[p.participant_id for p in order.participants], total=order.total,
        amount_paid=order.amount_paid, invoiced=order.invoiced, option_expires_at=order.option_expires_at,
        refusal_reason=order.refusal_reason, reseller_id=order.reseller_id,
        **{"extras": booking.extra_quantities(order), **extra},
    )


def _log(uow: UnitOfWork, order: Order, action: str, detail: str, actor: str) -> None:
    """A workflow line; when the request's token is the actor's, with its name and e-mail."""
    who = acting(actor)
    uow.session.add(WorkflowEntry(order_id=order.id, at=uow.clock.now(), action=action, detail=detail, actor=actor,
                                  actor_name=who and (who.name or who.email), actor_email=who and who.email,
                                  actor_role=who and who.role, status=order.status))


def _changed(uow: UnitOfWork, order: Order, action: str, detail: str, actor: str, **extra: object) -> None:
    """Record a status change: new version, workflow line, lifecycle event with the resulting state."""
    order.version += 1
    order.updated_at = uow.clock.now()
    _log(uow, order, action, detail, actor)
    uow.emit(order_state(EVENT_OF_STATUS[Status(order.status)], order, **extra), order.id, order.version)


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
    if ordered_online_by is not None:
        orderer = client if ordered_online_by == client.id else await directory.client(ordered_online_by)
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
        status=Status.PENDING, version=1, invoiced=False, billing_version=0, created_at=now, updated_at=now,
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
    _log(uow, order, "placed", f"Commande créée{online} pour {len(choices)} participant(s), {order.total} €{sold_by}.",
         actor)
    answers = events.ConsentAnswers(newsletter=consents.newsletter, partner_offers=consents.partner_offers,
                                    recorded_by=actor) if consents else None
    uow.emit(order_state(events.OrderPlaced, order, consents=answers), order.id, order.version)
    booking.announce_cashback(uow, order)
    return order


def option_days_of(order: Order, configured: int) -> int:
    """The option duration the order was booked with (its organiser's), or orders' configuration without one."""
    return configured if order.option_days is None else order.option_days


async def hold_confirmed(uow: UnitOfWork, order_id: UUID, option_days: int, presentation: Presentation) -> None:
    order = await get_order(uow, order_id, lock=True)
    if order.status != Status.PENDING:
        return
    order.status = next_status(Status(order.status), Action.HOLD)
    order.option_expires_at = option_deadline(uow.clock.now(), option_days_of(order, option_days))
    _changed(uow, order, "optioned",
             f"Places réservées ; option jusqu'au {presentation.moment(order.option_expires_at)}.", SYSTEM)


async def hold_rejected(uow: UnitOfWork, order_id: UUID, reason: str) -> None:
    order = await get_order(uow, order_id, lock=True)
    if order.status != Status.PENDING:
        return
    order.status = next_status(Status(order.status), Action.REFUSE)
    order.refusal_reason = reason
    _changed(uow, order, "refused", f"Commande refusée : {reason}", SYSTEM)


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
    order.version += 1
    order.invoicing_requested_at = uow.clock.now()
    _log(uow, order, "invoicing_requested", detail, actor)
    uow.emit(
        events.InvoicingRequested(
            order_id=order.id, order_reference=order.reference, buyer=events.Buyer.model_validate(order.buyer),
            lines=[events.InvoiceLine(label=line.label, quantity=line.quantity, unit_price=line.unit_price,
                               amount=line.amount)
                   for line in order.lines],
            total=order.total, amount_paid=order.amount_paid,
        ),
        order.id, order.version,
    )


async def request_uninvoicing(uow: UnitOfWork, order_id: UUID, reason: str, actor: str) -> Order:
    order = await get_order(uow, order_id, lock=True)
    if not order.invoiced:
        raise DomainError("not_invoiced", "La commande n'est pas facturée : rien à défacturer.")
    order.version += 1
    _log(uow, order, "uninvoicing_requested", f"Défacturation demandée : {reason}", actor)
    uow.emit(events.UninvoicingRequested(order_id=order.id, client_id=order.client_id, reason=reason),
             order.id, order.version)
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
    _log(uow, order, action or ("invoiced" if state.invoiced else "uninvoiced"), detail, SYSTEM)


async def archive(uow: UnitOfWork, order: Order, actor: str, detail: str) -> None:
    order.status = next_status(Status(order.status), Action.ARCHIVE)
    order.option_expires_at = None
    _changed(uow, order, "archived", detail, actor)


async def give_up_option(uow: UnitOfWork, order: Order, actor: str, by_reseller: bool) -> None:
    """The family, or the reseller that sold the order, gives up its option from the front office."""
    give_up(Status(order.status))
    who = "le revendeur" if by_reseller else f"le client {order.buyer.get('name', '')}".rstrip()
    await archive(uow, order, actor, f"Option annulée en ligne par {who} : places libérées.")


async def reinstate(uow: UnitOfWork, order_id: UUID, option_days: int, actor: str, presentation: Presentation
                    ) -> Order:
    order = await get_order(uow, order_id, lock=True)
    order.status = next_status(Status(order.status), Action.REINSTATE)
    order.option_expires_at = option_deadline(uow.clock.now(), option_days_of(order, option_days))
    order.option_expired_at = None
    _changed(uow, order, "reinstated", f"Option prolongée jusqu'au {presentation.moment(order.option_expires_at)}.",
             actor)
    return order


async def expire(uow: UnitOfWork, order: Order) -> None:
    order.status = next_status(Status(order.status), Action.EXPIRE)
    order.option_expired_at = uow.clock.now()
    _changed(uow, order, "option_expired", "Délai d'option dépassé : option annulable, places en option dépassée.",
             SYSTEM)


async def redrive_placement(uow: UnitOfWork, order: Order, waited: str) -> None:
    """Stock has not answered the order's placement, whose event may have been lost on the way. The order announces
    its pending state again under a new version, which stock's version guard takes (its inbox and guard skip a mere
    replay), with the consents the first announcement carried for clients."""
    placed = await uow.session.scalar(
        select(OutboxRow.envelope).where(OutboxRow.aggregate_id == str(order.id),
                                         OutboxRow.routing_key == events.OrderPlaced.routing_key())
        .order_by(OutboxRow.seq).limit(1))
    consents = placed["data"].get("consents") if placed else None
    _changed(uow, order, "placement_redriven",
             f"Sans réponse du stock depuis {waited} : commande annoncée à nouveau.", SYSTEM, consents=consents)


def redrive_invoicing(uow: UnitOfWork, order: Order, waited: str) -> None:
    """Billing has not answered the order's invoicing request: the request goes again under a new version; billing
    issues the invoice once, whichever request it applies."""
    _ask_for_invoice(uow, order, f"Facturation demandée à nouveau : sans réponse depuis {waited}.", SYSTEM)
