"""Quotes (devis): priced exactly as an order would be, holding no places, valid until a date, and turned into an
order by an operator while still valid (the order's workflow log says so).

Converting prices the order again at that day: membership depends on the history of that day and the promo
code's use is only counted when an order takes it. A total that moved since the quote is written in the log.
"""
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from orders import booking, resellers, services
from orders.booking import Adjustments, Choice
from orders.domain.breakdown import AddOn
from orders.domain.dates import paris_date
from orders.gateways import Directory
from orders.tables import QUOTE_NUMBERS, Order, Quote
from shared.db import UnitOfWork
from shared.problems import DomainError, NotFound


def adjustments_json(asked: Adjustments) -> dict[str, Any]:
    return {"add_ons": [{"label": a.label, "amount": str(a.amount)} for a in asked.add_ons],
            "cash_discount": str(asked.cash_discount), "promo_code": asked.promo_code,
            "cashback": str(asked.cashback), "siblings": str(asked.siblings), "referral": str(asked.referral)}


def adjustments_of(data: dict[str, Any]) -> Adjustments:
    return Adjustments(tuple(AddOn(a["label"], Decimal(a["amount"])) for a in data["add_ons"]),
                       Decimal(data["cash_discount"]), data["promo_code"], Decimal(data["cashback"]),
                       Decimal(data["siblings"]), Decimal(data["referral"]))


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def expired(quote: Quote, today: date) -> bool:
    return quote.status == "open" and today > quote.valid_until


async def get_quote(uow: UnitOfWork, quote_id: UUID, lock: bool = False) -> Quote:
    quote = await uow.session.get(Quote, quote_id, with_for_update=lock)
    if quote is None:
        raise NotFound("quote", quote_id)
    return quote


async def make_quote(uow: UnitOfWork, directory: Directory, client_id: UUID, departure_id: UUID,
                     choices: list[Choice], asked: Adjustments, valid_until: date, actor: str,
                     reseller_id: UUID | None = None) -> Quote:
    today = paris_date(uow.clock.now())
    if valid_until < today:
        raise DomainError("invalid_validity", f"Un devis ne peut expirer avant aujourd'hui ({today:%d/%m/%Y}).")
    client = await booking.checked_client(directory, client_id, choices)
    reseller = await resellers.reseller_of(directory, client, reseller_id)
    priced = await booking.price_booking(uow, directory, client, departure_id, choices, asked,
                                         reseller_id=reseller.client_id if reseller else None)
    number = await uow.session.scalar(QUOTE_NUMBERS.next_value())
    now = uow.clock.now()
    departure = priced.departure
    quote = Quote(
        reference=f"D{number:06d}", client_id=priced.client.id, client_disputed=priced.client.disputed,
        reseller_id=reseller.client_id if reseller else None,
        departure_id=departure.id, stay_title=departure.stay_title, start_date=departure.start_date,
        end_date=departure.end_date,
        participants=[{"participant_id": str(c.participant_id), "last_name": p["last_name"],
                       "first_name": p["first_name"], "legal_guardian_id": _str(p["legal_guardian_id"]),
                       "legal_guardian_name": p["legal_guardian_name"]}
                      for c, p in zip(choices, priced.people, strict=True)],
        choices=[c.as_json() for c in choices], adjustments=adjustments_json(asked),
        lines=[{"participant_id": str(e.participant_id) if e.participant_id else None, "kind": e.kind,
                "label": e.label, "quantity": e.quantity, "unit_price": str(e.unit_price), "amount": str(e.amount)}
               for e in priced.breakdown.entries],
        total=priced.breakdown.total, deposit_amount=priced.deposit.amount if priced.deposit else None,
        membership_note=priced.membership.note, valid_until=valid_until, status="open", created_by=actor,
        created_at=now, updated_at=now,
    )
    uow.session.add(quote)
    await uow.session.flush()
    return quote


async def convert(uow: UnitOfWork, directory: Directory, quote_id: UUID, actor: str,
                  consents: services.Consents | None = None) -> Order:
    quote = await get_quote(uow, quote_id, lock=True)
    if quote.status == "converted":
        order = await uow.session.get(Order, quote.order_id)
        raise DomainError("quote_converted", f"Le devis {quote.reference} est déjà devenu la commande "
                                             f"{order.reference if order else quote.order_id}.")
    if expired(quote, paris_date(uow.clock.now())):
        raise DomainError("quote_expired", f"Le devis {quote.reference} a expiré le {quote.valid_until:%d/%m/%Y} : "
                                           "établissez un nouveau devis ou une commande.")
    order = await services.place_order(uow, directory, quote.client_id, quote.departure_id,
                                       [Choice.of_json(c) for c in quote.choices], actor,
                                       adjustments_of(quote.adjustments), consents, quote.reseller_id)
    quote.status, quote.order_id, quote.updated_at = "converted", order.id, uow.clock.now()
    detail = f"Transformation du devis {quote.reference} en commande."
    if order.total != quote.total:
        detail += f" Total du devis {quote.total} €, total de la commande {order.total} €."
    services._log(uow, order, "quote_converted", detail, actor)
    return order
