"""Modifying an order (seed 001): allowed until it is invoiced; the client, the stay, the promo code and the
cashback never change; departure, participants (with their extras), return city, add-ons and prices can.

A change that touches places (departure, participants, extras) is proposed to stock with
`orders.order.modified` carrying the proposed state; the order takes it when stock confirms the hold
for that event's version and stays as it was when stock refuses (the reason goes to the workflow log).
Other changes apply at once. Either way the total is recomputed by the same pricing as a new order.
"""
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select

from orders import booking, order_pdfs, payments
from orders.booking import Adjustments, Choice, Priced
from orders.domain.breakdown import AddOn
from orders.domain.lifecycle import LABELS, Status
from orders.domain.membership import Fee, FeeKind, Outcome
from orders.gateways import Directory
from orders.presentation import Presentation
from orders.services import SYSTEM, _log
from orders.tables import Order, OrderLine, OrderModification, OrderParticipant, OrderTerms
from shared import events
from shared.db import UnitOfWork
from shared.problems import DomainError, NotFound, Problem

MODIFIABLE = (Status.OPTION, Status.OPTION_EXPIRED, Status.VALIDATED)


@dataclass(frozen=True)
class Change:
    """What the operator changes; None keeps the order's current value."""

    departure_id: UUID | None = None
    choices: list[Choice] | None = None
    add_ons: tuple[AddOn, ...] | None = None
    cash_discount: Decimal | None = None
    siblings: Decimal | None = None
    referral: Decimal | None = None
    client_id: UUID | None = None
    promo_code: str | None = None
    cashback: Decimal | None = None
    add_on_ids: tuple[UUID, ...] | None = None


def check_frozen(order: Order, change: Change) -> None:
    """The client, the promo code and the cashback stay as the order was placed (seed 001)."""
    if change.client_id is not None and change.client_id != order.client_id:
        raise DomainError("client_cannot_change", "Le client d'une commande ne change pas : "
                                                  "créez une nouvelle commande pour un autre client.")
    placed_code = order.terms.promo_code if order.terms else None
    if change.promo_code is not None and change.promo_code.upper() != (placed_code or "").upper():
        raise DomainError("promo_code_cannot_change", "Le code promo d'une commande est figé une fois appliqué : "
                                                      "créez une nouvelle commande pour en changer.")
    if change.cashback is not None and change.cashback != _sum_off(order, "cashback"):
        raise DomainError("cashback_cannot_change", "Le cashback d'une commande est figé une fois appliqué : "
                                                    "créez une nouvelle commande pour en changer.")


def check_modifiable(order: Order, pending: OrderModification | None) -> None:
    if order.invoiced:
        raise DomainError("order_invoiced", f"La commande est facturée ({order.invoice_reference}) : "
                                            "défacturez-la d'abord pour pouvoir la modifier.")
    if order.status not in MODIFIABLE:
        raise DomainError("cannot_modify", f"Impossible de modifier une commande {LABELS[Status(order.status)]}.")
    if pending is not None:
        raise DomainError("modification_pending", "Une modification attend encore la réponse du stock : "
                                                  "réessayez dans un instant.")


def current_choices(order: Order) -> list[Choice]:
    if order.terms is not None and order.terms.choices:
        return [Choice.of_json(c) for c in order.terms.choices]
    return [Choice(p.participant_id) for p in order.participants]


def _sum_off(order: Order, kind: str) -> Decimal:
    return sum((-line.amount for line in order.lines if line.kind == kind), Decimal("0.00"))


def adjustments(order: Order, change: Change) -> Adjustments:
    """The order's typed add-ons and discounts, replaced by those the change gives (stock's add-ons, per participant,
    are priced again from the choices)."""
    add_ons = tuple(AddOn(line.label, line.amount) for line in order.lines
                    if line.kind == "add_on" and line.participant_id is None)
    return Adjustments(
        add_ons=add_ons if change.add_ons is None else change.add_ons,
        cash_discount=_sum_off(order, "cash_discount") if change.cash_discount is None else change.cash_discount,
        siblings=_sum_off(order, "siblings") if change.siblings is None else change.siblings,
        referral=_sum_off(order, "referral") if change.referral is None else change.referral,
    )


def extras_of(choices: list[Choice]) -> list[events.ExtraQuantity]:
    counts = Counter(extra for choice in choices for extra in choice.extra_ids)
    return [events.ExtraQuantity(extra_id=extra, quantity=n) for extra, n in sorted(counts.items(), key=str)]


def proposal_of(priced: Priced, choices: list[Choice]) -> dict[str, Any]:
    """Everything the order becomes, as JSON, so it can be applied when stock answers."""
    departure, outcome, terms = priced.departure, priced.membership, booking.order_terms(priced, choices)
    return {
        "departure": {"id": str(departure.id), "stay_title": departure.stay_title,
                      "start_date": departure.start_date.isoformat(), "end_date": departure.end_date.isoformat(),
                      "base_price": str(departure.base_price)},
        "participants": [{"participant_id": str(c.participant_id), "last_name": p["last_name"],
                          "first_name": p["first_name"],
                          "birth_date": p["birth_date"].isoformat() if p.get("birth_date") else None,  # type: ignore[union-attr]
                          "legal_guardian_id": _str(p["legal_guardian_id"]),
                          "legal_guardian_name": p["legal_guardian_name"]}
                         for c, p in zip(choices, priced.people, strict=True)],
        "lines": [{"participant_id": str(line.participant_id) if line.participant_id else None, "kind": line.kind,
                   "label": line.label, "quantity": line.quantity, "unit_price": str(line.unit_price),
                   "amount": str(line.amount)} for line in booking.order_lines(priced)],
        "total": str(priced.breakdown.total),
        "terms": {"choices": terms.choices, "organiser_id": str(terms.organiser_id) if terms.organiser_id else None,
                  "deposit_percent": _str(terms.deposit_percent), "deposit_amount": _str(terms.deposit_amount),
                  "deposit_late": terms.deposit_late, "front_office_means": terms.front_office_means,
                  "membership_note": terms.membership_note, "group_order": terms.group_order,
                  "client_disputed": terms.client_disputed},
        "membership": {"scope_id": str(priced.scope_id) if priced.scope_id else None,
                       "cycle_start": outcome.cycle_start.isoformat(), "cycle_end": outcome.cycle_end.isoformat(),
                       "fees": [{"participant_id": str(f.participant_id), "kind": f.kind.value, "amount": str(f.amount),
                                 "label": f.label} for f in outcome.fees]},
    }


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def proposed_state(order: Order, proposal: dict[str, Any]) -> events.OrderModified:
    choices = [Choice.of_json(c) for c in proposal["terms"]["choices"]]
    return events.OrderModified(
        order_id=order.id, reference=order.reference, client_id=order.client_id,
        departure_id=proposal["departure"]["id"], status=order.status, places=len(proposal["participants"]),
        participant_ids=[p["participant_id"] for p in proposal["participants"]], total=proposal["total"],
        amount_paid=order.amount_paid, invoiced=order.invoiced, option_expires_at=order.option_expires_at,
        refusal_reason=order.refusal_reason, extras=extras_of(choices), reseller_id=order.reseller_id,
    )


async def apply(uow: UnitOfWork, order: Order, proposal: dict[str, Any]) -> None:
    """The order takes the proposal; old participants and lines go before the new ones are written."""
    departure = proposal["departure"]
    order.departure_id = UUID(departure["id"])
    order.stay_title = departure["stay_title"]
    order.start_date = date.fromisoformat(departure["start_date"])
    order.end_date = date.fromisoformat(departure["end_date"])
    order.unit_price = Decimal(departure["base_price"])
    order.total = Decimal(proposal["total"])
    order.participants.clear()
    order.lines.clear()
    await uow.session.flush()
    order.participants.extend(
        OrderParticipant(participant_id=UUID(p["participant_id"]), position=i, last_name=p["last_name"],
                         first_name=p["first_name"],
                         birth_date=date.fromisoformat(p["birth_date"]) if p["birth_date"] else None,
                         legal_guardian_id=UUID(p["legal_guardian_id"]) if p.get("legal_guardian_id") else None,
                         legal_guardian_name=p.get("legal_guardian_name"))
        for i, p in enumerate(proposal["participants"]))
    order.lines.extend(
        OrderLine(position=i, participant_id=UUID(line["participant_id"]) if line["participant_id"] else None,
                  kind=line["kind"], label=line["label"], quantity=line["quantity"],
                  unit_price=Decimal(line["unit_price"]), amount=Decimal(line["amount"]))
        for i, line in enumerate(proposal["lines"]))
    terms = proposal["terms"]
    if order.terms is None:
        order.terms = OrderTerms()
    order.terms.choices = terms["choices"]
    order.terms.organiser_id = UUID(terms["organiser_id"]) if terms["organiser_id"] else None
    order.terms.deposit_percent = _decimal(terms["deposit_percent"])
    order.terms.deposit_amount = _decimal(terms["deposit_amount"])
    order.terms.deposit_late = terms["deposit_late"]
    order.terms.front_office_means = terms["front_office_means"]
    order.terms.membership_note = terms["membership_note"]
    order.terms.group_order = terms["group_order"]
    order.terms.client_disputed = terms["client_disputed"]
    fees = proposal["membership"]
    outcome = Outcome(tuple(Fee(UUID(f["participant_id"]), FeeKind(f["kind"]), Decimal(f["amount"]), f["label"])
                            for f in fees["fees"]),
                      date.fromisoformat(fees["cycle_start"]), date.fromisoformat(fees["cycle_end"]))
    await booking.record_membership(uow, order, UUID(fees["scope_id"]) if fees["scope_id"] else None, outcome)


def describe(order: Order, proposal: dict[str, Any], touches_places: bool) -> str:
    parts = []
    if proposal["departure"]["id"] != str(order.departure_id):
        parts.append(f"départ du {proposal['departure']['start_date']}")
    before = {p.participant_id for p in order.participants}
    after = {UUID(p["participant_id"]) for p in proposal["participants"]}
    if before != after:
        parts.append(f"{len(after - before)} participant(s) ajouté(s), {len(before - after)} retiré(s)")
    parts.append(f"total {order.total} € → {proposal['total']} €")
    return ("Modification proposée au stock : " if touches_places else "Commande modifiée : ") + " ; ".join(parts) + "."


async def pending_modification(uow: UnitOfWork, order_id: UUID) -> OrderModification | None:
    return await uow.session.scalar(select(OrderModification).where(
        OrderModification.order_id == order_id, OrderModification.status == "pending"))


async def modify(uow: UnitOfWork, directory: Directory, order_id: UUID, change: Change, actor: str
                 ) -> tuple[Order, OrderModification]:
    order = await uow.session.get(Order, order_id, with_for_update=True)
    if order is None:
        raise NotFound("order", order_id)
    check_modifiable(order, await pending_modification(uow, order.id))
    check_frozen(order, change)
    before = current_choices(order)
    add_on_ids = change.add_on_ids if change.add_on_ids is not None else before[0].add_on_ids if before else ()
    guardians = {c.participant_id: c.legal_guardian_id for c in before}
    choices = [replace(c, add_on_ids=add_on_ids, legal_guardian_id=c.legal_guardian_id or guardians.get(c.participant_id))
               for c in (before if change.choices is None else change.choices)]
    departure_id = change.departure_id or order.departure_id
    if departure_id != order.departure_id:
        current, wanted = await directory.departure(order.departure_id), await directory.departure(departure_id)
        if wanted is None:
            raise Problem(422, "unknown_departure", "Unknown departure", f"No departure with id {departure_id}.")
        if current is not None and wanted.stay_id != current.stay_id:
            raise DomainError("stay_cannot_change", "Le séjour d'une commande ne change pas : "
                                                    "créez une nouvelle commande pour un autre séjour.")
    client = await booking.checked_client(directory, order.client_id, choices)
    priced = await booking.price_booking(uow, directory, client, departure_id, choices,
                                         adjustments(order, change), order_id=order.id,
                                         frozen=booking.frozen_reductions(order), reseller_id=order.reseller_id)
    proposal = proposal_of(priced, choices)
    touches_places = departure_id != order.departure_id or [c.participant_id for c in choices] != [
        c.participant_id for c in before] or extras_of(choices) != extras_of(before)
    order.version += 1
    order.updated_at = uow.clock.now()
    summary = describe(order, proposal, touches_places)
    modification = OrderModification(order_id=order.id, version=order.version, proposal=proposal, summary=summary,
                                     status="pending" if touches_places else "applied", requested_by=actor,
                                     requested_at=uow.clock.now(), through_stock=touches_places)
    uow.session.add(modification)
    if touches_places:
        _log(uow, order, "modification_requested", summary, actor)
    else:
        await apply(uow, order, proposal)
        modification.answered_at = uow.clock.now()
        _log(uow, order, "modified", summary, actor)
    uow.emit(proposed_state(order, proposal), order.id, order.version)
    if not touches_places:
        await payments.refresh_settlement(uow, order, actor)
    return order, modification


async def modified_pdf(uow: UnitOfWork, order: Order, presentation: Presentation) -> None:
    """A modification that went through stock changes the order only now: its PDF shows the order modified."""
    await order_pdfs.request_pdf(uow, order, "modified", SYSTEM, presentation)


async def stock_answered(uow: UnitOfWork, order_id: UUID, order_version: int, refusal: str | None,
                         presentation: Presentation) -> bool:
    """Apply or drop the modification stock answered; False when the answer is not about a modification.
    A withdrawn modification's late answer changes nothing."""
    modification = await uow.session.get(OrderModification, (order_id, order_version), with_for_update=True)
    if modification is None:
        return False
    if modification.status != "pending":
        return True
    order = await uow.session.get(Order, order_id, with_for_update=True)
    assert order is not None  # a modification always belongs to an order
    modification.answered_at = uow.clock.now()
    if refusal is not None:
        modification.status, modification.reason = "rejected", refusal
        _log(uow, order, "modification_refused",
             f"Modification refusée par le stock : {refusal}. La commande reste inchangée.", SYSTEM)
        return True
    modification.status = "applied"
    await apply(uow, order, modification.proposal)
    order.updated_at = uow.clock.now()
    _log(uow, order, "modified", modification.summary.replace("Modification proposée au stock", "Commande modifiée"),
         SYSTEM)
    if order.version != modification.version:  # later events carried the former state: announce the applied one
        order.version += 1
        uow.emit(proposed_state(order, modification.proposal), order.id, order.version)
    await payments.refresh_settlement(uow, order, SYSTEM)
    await modified_pdf(uow, order, presentation)
    return True
