"""Places held for orders: every order event moves the order's places (and its extras' places) between buckets.

Each change is a set of conditional UPDATEs in one transaction: taking places checks in the same
statement that enough are free, so stock is never oversold whatever the concurrency. A change that
cannot take everything it needs is rolled back to a savepoint: all or nothing. Rows are updated in
id order so that two changes over the same departures cannot deadlock. Hold answers carry the
order's version as theirs, and name it in `order_version`.
"""
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert

from shared.db import UnitOfWork
from shared.events import DepartureFull, DepartureReopened, HoldConfirmed, HoldRejected, OrderState
from shared.logging import log
from shared.problems import DomainError, NotFound
from stock import services
from stock.domain.places import Bucket, HoldState, extra_refusal_reason, refusal_reason, transition
from stock.tables import Departure, DeselectedExtra, Extra, Hold, HoldExtra

EXTRA_FREE = Extra.capacity - Extra.held - Extra.overdue - Extra.confirmed


class Refused(Exception):
    """A change that stock cannot make; its message is the reason the operator reads."""

    def __init__(self, reason: str, departure_id: UUID, free: int) -> None:
        super().__init__(reason)
        self.reason, self.departure_id, self.free = reason, departure_id, free


@dataclass(frozen=True)
class Wanted:
    """What an order asks stock for: places on a departure and places of some of its extras."""

    departure_id: UUID
    places: int
    extras: Mapping[UUID, int]

    @classmethod
    def of(cls, order: OrderState) -> "Wanted":
        extras: dict[UUID, int] = {}
        for choice in order.extras:
            extras[choice.extra_id] = extras.get(choice.extra_id, 0) + choice.quantity
        return cls(order.departure_id, order.places, {e: q for e, q in extras.items() if q > 0})


async def apply_order_state(uow: UnitOfWork, order: OrderState, order_version: int) -> None:
    """Bring the order's places to the bucket its status implies; decide the hold of a new booking."""
    hold = await uow.session.get(Hold, order.order_id, with_for_update=True)
    if hold is None:
        if order.status == "pending":
            await _place(uow, order, order_version)
        else:
            log.warning("stock.order_never_held", order_id=str(order.order_id), status=order.status)
        return
    if order.status == "pending":
        _answer_again(uow, order, order_version, hold)
        return
    refused = await _follow(uow, hold, order.status)
    if refused is not None:
        _answer_rejected(uow, order, order_version, refused)


async def _follow(uow: UnitOfWork, hold: Hold, status: str) -> Refused | None:
    """Move the hold's places to the bucket of the order's status. Only a reseller's validated order can be
    refused here: its places are taken at validation, and may be gone."""
    move = transition(HoldState(hold.state), status)
    if move is None:
        return None
    source, target = move
    current = await _held_extras(uow, hold.order_id)
    if source is None and target is not None:
        try:
            async with _all_or_nothing(uow, bool(current)):
                freed = await _take(uow, target, Wanted(hold.departure_id, hold.places, current))
        except Refused as refused:
            hold.state = HoldState.REJECTED
            return refused
        await _announce(uow, freed)
    elif source is not None:
        await _announce(uow, await _shift(uow, hold, current, source, target))
    hold.state = target.value if target else HoldState.RELEASED
    hold.updated_at = uow.clock.now()
    return None


async def _place(uow: UnitOfWork, order: OrderState, order_version: int) -> None:
    """The hold is written before its places are taken: every booking of a departure updates its row, which then
    stays locked only for the few statements that follow (the extras, the answer, the commit)."""
    wanted = Wanted.of(order)
    departure = await uow.session.get(Departure, order.departure_id)
    hold = Hold(order_id=order.order_id, departure_id=order.departure_id, places=order.places,
                state=HoldState.DEFERRED if order.reseller_id else HoldState.HELD, reseller_id=order.reseller_id,
                updated_at=uow.clock.now())
    try:
        if departure is None:
            raise Refused("Départ inconnu du stock.", order.departure_id, 0)
        await _check_sellable(uow, departure, order.reseller_id)
        uow.session.add(hold)
        await uow.session.flush()
        if hold.state == HoldState.DEFERRED:
            await _check_free(uow, wanted)
            touched: list[tuple[Departure, int]] = []
        else:
            async with _all_or_nothing(uow, bool(wanted.extras)):
                touched = await _take(uow, Bucket.HELD, wanted)
    except Refused as refused:
        if departure is not None:
            hold.state = HoldState.REJECTED
            uow.session.add(hold)
        _answer_rejected(uow, order, order_version, refused)
        return
    if wanted.extras:
        await _replace_extras(uow, order.order_id, {}, wanted.extras)
    await _announce(uow, touched)
    _answer_confirmed(uow, order, order_version)


async def release(uow: UnitOfWork, order_id: UUID) -> Hold:
    """An operator frees a hold's places (and its extras'), whatever its order says: for a hold whose order orders
    does not know, which no order event will ever release."""
    hold = await uow.session.get(Hold, order_id, with_for_update=True)
    if hold is None:
        raise NotFound("hold", order_id)
    state = HoldState(hold.state)
    if state in (HoldState.RELEASED, HoldState.REJECTED):
        raise DomainError("nothing_held", f"The hold of order {order_id} holds no place any more ({state}).")
    if state.bucket is not None:
        await _announce(uow, await _shift(uow, hold, await _held_extras(uow, order_id), state.bucket, None))
    hold.state, hold.updated_at = HoldState.RELEASED, uow.clock.now()
    return hold


def _all_or_nothing(uow: UnitOfWork, several_rows: bool) -> AbstractAsyncContextManager[Any]:
    """A savepoint when a change updates several rows; one conditional UPDATE is all or nothing by itself."""
    return uow.session.begin_nested() if several_rows else nullcontext()


async def modify(uow: UnitOfWork, order: OrderState, order_version: int) -> None:
    """Move the order to its new departure, participant count and extras, all or nothing.

    The event also carries the order's status, which may be newer than the hold's (a validation that
    stock has not seen yet): that status applies whether the modification is accepted or refused.
    """
    hold = await uow.session.get(Hold, order.order_id, with_for_update=True)
    if hold is None or HoldState(hold.state) in (HoldState.RELEASED, HoldState.REJECTED):
        _answer_rejected(uow, order, order_version, Refused(
            "La commande ne détient pas de places en stock : elle ne peut pas être modifiée.", order.departure_id, 0))
        return
    wanted = Wanted.of(order)
    current = await _held_extras(uow, hold.order_id)
    state = HoldState(hold.state)
    move = transition(state, order.status)
    target = state if move is None else HoldState(move[1].value) if move[1] else HoldState.RELEASED
    if target == HoldState.RELEASED:
        await _follow(uow, hold, order.status)
        _answer_rejected(uow, order, order_version, Refused(
            "Une commande close ne peut pas être modifiée.", order.departure_id, 0))
        return
    try:
        departure = await uow.session.get(Departure, wanted.departure_id)
        if departure is None:
            raise Refused("Départ inconnu du stock.", wanted.departure_id, 0)
        if departure.id != hold.departure_id or wanted.places > hold.places:
            await _check_sellable(uow, departure, hold.reseller_id)
        await _check_reselectable(uow, order.order_id, set(wanted.extras) - set(current))
        if target == HoldState.DEFERRED:
            await _check_free(uow, wanted)
            touched: list[tuple[Departure, int]] = []
        else:
            assert target.bucket is not None
            async with uow.session.begin_nested():
                touched = await _change(uow, state.bucket, target.bucket,
                                        Wanted(hold.departure_id, hold.places, current), wanted)
    except Refused as refused:
        await _follow(uow, hold, order.status)
        _answer_rejected(uow, order, order_version, refused)
        return
    hold.departure_id, hold.places, hold.state = wanted.departure_id, wanted.places, target
    hold.updated_at = uow.clock.now()
    await _replace_extras(uow, order.order_id, current, wanted.extras)
    await _announce(uow, touched)
    _answer_confirmed(uow, order, order_version)


async def answer_stale_modification(uow: UnitOfWork, order: OrderState, order_version: int) -> None:
    """A modification older than a state already applied is not applied; orders is told so it does not wait."""
    _answer_rejected(uow, order, order_version, Refused(
        "Modification dépassée : un état plus récent de la commande a déjà été pris en compte.", order.departure_id, 0))


async def _check_sellable(uow: UnitOfWork, departure: Departure, reseller_id: UUID | None) -> None:
    if departure.status != "open":
        raise Refused("Départ fermé à la vente.", departure.id, services.stock_of(departure).free)
    if reseller_id is not None:
        if await services.assignment_of(uow, reseller_id, departure.id) is None:
            raise Refused("Départ non affecté à ce revendeur.", departure.id, services.stock_of(departure).free)


async def _check_reselectable(uow: UnitOfWork, order_id: UUID, chosen_again: set[UUID]) -> None:
    """Seed 001: an extra deselected from the order that has been full since cannot be chosen again."""
    if not chosen_again:
        return
    rows = await uow.session.execute(
        select(Extra.label, Extra.departure_id).join(DeselectedExtra, DeselectedExtra.extra_id == Extra.id)
        .where(DeselectedExtra.order_id == order_id, DeselectedExtra.extra_id.in_(chosen_again),
               Extra.full_at >= DeselectedExtra.deselected_at)
    )
    for label, departure_id in rows:
        raise Refused(f"Option « {label} » complète depuis qu'elle a été retirée de la commande : "
                      "elle ne peut plus être choisie à nouveau.", departure_id, 0)


async def _check_free(uow: UnitOfWork, wanted: Wanted) -> None:
    """Enough free places to sell, without taking them (a reseller's customer's option)."""
    departure = await uow.session.get(Departure, wanted.departure_id)
    assert departure is not None
    free = services.stock_of(departure).free
    if free < wanted.places:
        raise Refused(refusal_reason(wanted.places, free), departure.id, free)
    for extra in await _extras_of(uow, wanted):
        extra_free = extra.free
        if extra_free is not None and extra_free < wanted.extras[extra.id]:
            raise Refused(extra_refusal_reason(extra.label, wanted.extras[extra.id], extra_free), departure.id, free)


async def _extras_of(uow: UnitOfWork, wanted: Wanted) -> list[Extra]:
    found = list(await uow.session.scalars(
        select(Extra).where(Extra.id.in_(list(wanted.extras)), Extra.departure_id == wanted.departure_id)))
    if len(found) != len(wanted.extras):
        raise Refused("Option inconnue pour ce départ.", wanted.departure_id, 0)
    return found


async def _take(uow: UnitOfWork, bucket: Bucket, wanted: Wanted) -> list[tuple[Departure, int]]:
    return await _change(uow, None, bucket, Wanted(wanted.departure_id, 0, {}), wanted)


async def _change(uow: UnitOfWork, source: Bucket | None, target: Bucket, before: Wanted, after: Wanted
                  ) -> list[tuple[Departure, int]]:
    """What `before` holds leaves `source` (nothing when None) and what `after` asks enters `target`, row by row
    in id order; the departures touched with their free places before. Raises Refused (the caller's savepoint
    rolls everything back) when places lack."""
    if after.extras:
        await _extras_of(uow, after)
    departures: dict[UUID, list[int]] = {before.departure_id: [before.places, 0]}
    departures.setdefault(after.departure_id, [0, 0])[1] = after.places
    extras = {e: [before.extras.get(e, 0), after.extras.get(e, 0)] for e in {*before.extras, *after.extras}}
    touched = []
    for departure_id, (old, new) in sorted(departures.items()):
        touched.append(await _move_departure(uow, departure_id, old if source else 0, source, new, target))
    for extra_id, (old, new) in sorted(extras.items()):
        await _move_extra(uow, extra_id, old if source else 0, source, new, target, after.departure_id)
    return touched


async def _shift(uow: UnitOfWork, hold: Hold, extras: Mapping[UUID, int], source: Bucket, target: Bucket | None
                 ) -> list[tuple[Departure, int]]:
    """Move an order's places (its departure's first, then its extras') from one bucket to another or to free."""
    touched = [await _move_departure(uow, hold.departure_id, hold.places, source, hold.places, target)]
    for extra_id, quantity in sorted(extras.items()):
        await _move_extra(uow, extra_id, quantity, source, quantity, target, hold.departure_id)
    return touched


def _values(model: Any, old: int, source: Bucket | None, new: int, target: Bucket | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if source and old:
        values[source.value] = getattr(model, source.value) - old
    if target and new:
        values[target.value] = values.get(target.value, getattr(model, target.value)) + new
    return values


def _taken(old: int, source: Bucket | None, new: int, target: Bucket | None) -> int:
    """Free places this change consumes (negative when it frees some)."""
    return (new if target else 0) - (old if source else 0)


async def _move_departure(uow: UnitOfWork, departure_id: UUID, old: int, source: Bucket | None, new: int,
                          target: Bucket | None) -> tuple[Departure, int]:
    """One conditional UPDATE; taking free places checks in the same statement that enough are free."""
    taken = _taken(old, source, new, target)
    stmt = (update(Departure).where(Departure.id == departure_id)
            .values({**_values(Departure, old, source, new, target), "version": Departure.version + 1})
            .returning(Departure))
    if taken > 0:
        stmt = stmt.where(services.FREE >= taken)
    departure = (await uow.session.scalars(stmt, execution_options={"populate_existing": True})).one_or_none()
    if departure is None:
        current = await uow.session.get(Departure, departure_id, populate_existing=True)
        free = services.stock_of(current).free if current else 0
        raise Refused(refusal_reason(new, free + (old if source else 0)), departure_id, free)
    return departure, services.stock_of(departure).free + taken


async def _move_extra(uow: UnitOfWork, extra_id: UUID, old: int, source: Bucket | None, new: int,
                      target: Bucket | None, departure_id: UUID) -> None:
    values = _values(Extra, old, source, new, target)
    if not values:
        return
    taken = _taken(old, source, new, target)
    stmt = update(Extra).where(Extra.id == extra_id).values(values).returning(Extra)
    if taken > 0:
        stmt = stmt.where(or_(Extra.capacity.is_(None), EXTRA_FREE >= taken))
    extra = (await uow.session.scalars(stmt, execution_options={"populate_existing": True})).one_or_none()
    if extra is None:
        current = await uow.session.get(Extra, extra_id, populate_existing=True)
        assert current is not None and current.free is not None
        raise Refused(extra_refusal_reason(current.label, new, current.free + (old if source else 0)), departure_id,
                      current.free)
    if taken > 0 and extra.free == 0:
        extra.full_at = uow.clock.now()


async def _announce(uow: UnitOfWork, touched: list[tuple[Departure, int]]) -> None:
    """Departure full when its last free place went, reopened when free places came back from none."""
    for departure, free_before in touched:
        free_after = services.stock_of(departure).free
        if departure.status != "open":
            continue
        if free_after == 0 < free_before:
            await services.emit_departure(uow, DepartureFull, departure)
        elif free_before == 0 < free_after:
            await services.emit_departure(uow, DepartureReopened, departure)


async def _held_extras(uow: UnitOfWork, order_id: UUID) -> dict[UUID, int]:
    rows = await uow.session.execute(select(HoldExtra.extra_id, HoldExtra.quantity).where(HoldExtra.order_id == order_id))
    return {extra_id: quantity for extra_id, quantity in rows}


async def _replace_extras(uow: UnitOfWork, order_id: UUID, before: Mapping[UUID, int], after: Mapping[UUID, int]
                          ) -> None:
    """Store the order's extras; remember those it gave up (seed 001), forget those chosen again."""
    now: datetime = uow.clock.now()
    await uow.session.execute(delete(HoldExtra).where(HoldExtra.order_id == order_id))
    if after:
        await uow.session.execute(insert(HoldExtra), [
            {"order_id": order_id, "extra_id": e, "quantity": q} for e, q in after.items()])
        await uow.session.execute(delete(DeselectedExtra).where(
            DeselectedExtra.order_id == order_id, DeselectedExtra.extra_id.in_(list(after))))
    dropped = set(before) - set(after)
    if dropped:
        stmt = insert(DeselectedExtra).values([{"order_id": order_id, "extra_id": e, "deselected_at": now}
                                               for e in dropped])
        await uow.session.execute(stmt.on_conflict_do_update(
            index_elements=[DeselectedExtra.order_id, DeselectedExtra.extra_id], set_={"deselected_at": now}))


def _answer_confirmed(uow: UnitOfWork, order: OrderState, order_version: int) -> None:
    uow.emit(HoldConfirmed(order_id=order.order_id, departure_id=order.departure_id, places=order.places,
                           order_version=order_version), order.order_id, order_version)


def _answer_again(uow: UnitOfWork, order: OrderState, order_version: int, hold: Hold) -> None:
    """A placement announced again: orders re-drives an order whose answer it never received. Stock decided once;
    it says the same again, with the new version, and moves nothing."""
    log.info("stock.placement_answered_again", order_id=str(order.order_id), state=hold.state)
    if hold.state == HoldState.REJECTED:
        _answer_rejected(uow, order, order_version,
                         Refused("Places refusées à la réservation de cette commande.", hold.departure_id, 0))
    else:
        _answer_confirmed(uow, order, order_version)


def _answer_rejected(uow: UnitOfWork, order: OrderState, order_version: int, refused: Refused) -> None:
    uow.emit(HoldRejected(order_id=order.order_id, departure_id=refused.departure_id, places=order.places,
                          free=refused.free, reason=refused.reason, order_version=order_version),
             order.order_id, order_version)
