"""Travel pack use cases: attach or replace joining instructions (group or individual), switch an order's mode,
tell each client whether they can download them, log the client's downloads. The caller commits."""
from uuid import UUID

from sqlalchemy import or_, select

from orders import documents, payments, services
from orders.domain.documents import InvalidFile, check_file, missing_labels, safe_name
from orders.domain.lifecycle import Status
from orders.domain.travel_pack import Access, Mode, access, check_individual_allowed, removes_individual_packs
from orders.gateways import Directory
from orders.tables import Order, TravelPack
from orders.travel_pack_flag import refresh_availability
from shared import events
from shared.db import UnitOfWork
from shared.problems import DomainError, NotFound, Problem

OPEN = (Status.PENDING, Status.OPTION, Status.OPTION_EXPIRED, Status.VALIDATED)


def mode_of(order: Order, default: Mode) -> Mode:
    return Mode(order.travel_pack_mode) if order.travel_pack_mode else default


async def access_of(uow: UnitOfWork, directory: Directory, order: Order) -> Access:
    """Whether the client may download the pack, and if not what is missing; the order keeps the client type's
    allowance as clients now states it, for its travel pack available flag."""
    summary = await payments.summary_of(uow, order)
    profile = await directory.client_profile(order.client_id)
    order.travel_pack_allowed = profile.documents_despite_incomplete_file
    items = await documents.refresh_file(uow, directory, order, services.SYSTEM)  # and the available flag with it
    return access(order.settled, summary.balance, order.file_complete, missing_labels(items),
                  profile.documents_despite_incomplete_file)


def _file(declared_type: str | None, content: bytes, max_bytes: int) -> str:
    try:
        return check_file(declared_type, content, max_bytes)
    except InvalidFile as invalid:
        raise Problem(413 if invalid.code == "file_too_large" else 422, invalid.code, "File refused",
                      invalid.message) from None


async def _announce(uow: UnitOfWork, directory: Directory, order: Order, pack: TravelPack, replaced: bool,
                    actor: str) -> None:
    granted = await access_of(uow, directory, order)
    scope = "group" if pack.departure_id else "individual"
    what = "remplacée" if replaced else "ajoutée"
    state = "téléchargeable par le client" if granted.available else "pas encore téléchargeable par le client"
    order.note("travel_pack_replaced" if replaced else "travel_pack_attached",
               f"Convocation « {pack.title} » ({'groupée' if scope == 'group' else 'individuelle'}) {what}, "
               f"{state} ; e-mail d'information au client.", actor)
    order.announce(events.TravelPackAttached(
        order_id=order.id, reference=order.reference, client_id=order.client_id, departure_id=order.departure_id,
        travel_pack_id=pack.id, title=pack.title, scope=scope, replaced=replaced, available=granted.available,
        missing_documents=list(granted.missing_documents), amount_due=granted.amount_due))


async def _concerned(uow: UnitOfWork, pack: TravelPack) -> list[Order]:
    if pack.order_id is not None:
        return [await services.get_order(uow, pack.order_id, lock=True)]
    stmt = (select(Order).where(Order.departure_id == pack.departure_id, Order.status.in_(OPEN))
            .order_by(Order.id).with_for_update())
    return list(await uow.session.scalars(stmt))


async def attach(uow: UnitOfWork, directory: Directory, departure_id: UUID | None, order: Order | None, title: str,
                 filename: str, declared_type: str | None, content: bytes, max_bytes: int, default: Mode,
                 actor: str) -> TravelPack:
    """Group instructions for a departure, or individual ones for an order in individual mode."""
    if order is not None:
        check_individual_allowed(mode_of(order, default))
    pack = TravelPack(departure_id=departure_id, order_id=order.id if order else None, title=title,
                      filename=safe_name(filename), content_type=_file(declared_type, content, max_bytes),
                      size=len(content), content=content, attached_at=uow.clock.now(), attached_by=actor)
    uow.session.add(pack)
    await uow.session.flush()
    for concerned in await _concerned(uow, pack):
        await _announce(uow, directory, concerned, pack, False, actor)
    return pack


async def replace(uow: UnitOfWork, directory: Directory, pack_id: UUID, filename: str, declared_type: str | None,
                  content: bytes, max_bytes: int, actor: str) -> TravelPack:
    pack = await uow.session.get(TravelPack, pack_id, with_for_update=True)
    if pack is None:
        raise NotFound("travel pack", pack_id)
    pack.content_type = _file(declared_type, content, max_bytes)
    pack.filename, pack.content, pack.size = safe_name(filename), content, len(content)
    pack.replaced_at = uow.clock.now()
    for concerned in await _concerned(uow, pack):
        await _announce(uow, directory, concerned, pack, True, actor)
    return pack


async def set_mode(uow: UnitOfWork, order_id: UUID, mode: Mode, default: Mode, actor: str) -> Order:
    order = await services.get_order(uow, order_id, lock=True)
    before = mode_of(order, default)
    order.travel_pack_mode = mode
    removed = []
    if removes_individual_packs(before, mode):
        removed = list(await uow.session.scalars(select(TravelPack).where(TravelPack.order_id == order.id)))
        for pack in removed:
            await uow.session.delete(pack)
    label = {Mode.GROUP: "groupé", Mode.INDIVIDUAL: "individuel"}[mode]
    detail = f"Carnet de voyage en mode {label}."
    if removed:
        detail += f" Convocations individuelles supprimées : {', '.join(p.title for p in removed)}."
    order.note("travel_pack_mode", detail, actor, new_version=True)
    await refresh_availability(uow, order, actor)
    return order


def visible_to(order: Order):
    """The packs an order shows: its departure's group ones and its own."""
    return or_(TravelPack.departure_id == order.departure_id, TravelPack.order_id == order.id)


async def packs_of(uow: UnitOfWork, order: Order) -> list[TravelPack]:
    stmt = select(TravelPack).where(visible_to(order)).order_by(TravelPack.attached_at, TravelPack.id)
    return list(await uow.session.scalars(stmt))


async def download(uow: UnitOfWork, directory: Directory, order: Order, pack_id: UUID, by_client: bool,
                   actor: str) -> tuple[TravelPack, bytes]:
    """Operators download any pack; the client only an available one, and the download is logged."""
    pack = await uow.session.scalar(select(TravelPack).where(TravelPack.id == pack_id, visible_to(order)))
    if pack is None:
        raise NotFound("travel pack", pack_id)
    if by_client:
        granted = await access_of(uow, directory, order)
        if not granted.available:
            raise DomainError("travel_pack_unavailable", granted.refusal())
        services._log(uow, order, "travel_pack_downloaded",
                      f"Convocation « {pack.title} » téléchargée par le client.", actor)
    content = await uow.session.scalar(select(TravelPack.content).where(TravelPack.id == pack.id))
    return pack, content
