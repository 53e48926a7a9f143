"""Order documents: the stay's checklist, uploads by operators and clients, the operator's check, the file
complete flag with its event. The caller commits."""
from uuid import UUID

from sqlalchemy import select

from orders import services
from orders.domain.documents import (
    DocumentStatus,
    InvalidFile,
    Item,
    check_file,
    checklist,
    complete,
    missing_labels,
    safe_name,
)
from orders.domain.lifecycle import Status
from orders.gateways import Directory
from orders.tables import Order, OrderDocument
from orders.travel_pack_flag import refresh_availability
from shared import events
from shared.db import UnitOfWork
from shared.problems import DomainError, NotFound, Problem

CLOSED = (Status.REFUSED, Status.ARCHIVED, Status.CANCELLED)


async def _asked(directory: Directory, order: Order) -> list[dict[str, str]]:
    """The stay's required documents as stock states them now."""
    terms = await directory.stay_terms(order.departure_id)
    if terms is None:
        raise Problem(503, "dependency_unavailable", "Service unavailable",
                      f"Stock does not know departure {order.departure_id}: its required documents are unknown.")
    return [{"code": d.code, "label": d.label} for d in terms.required_documents]


async def required_of(uow: UnitOfWork, directory: Directory, order: Order) -> list[tuple[str, str]]:
    """The stay's required documents, asked of stock once and kept on the order."""
    if order.required_documents is None:
        order.required_documents = await _asked(directory, order)
    return [(d["code"], d["label"]) for d in order.required_documents]


async def file_complete(uow: UnitOfWork, directory: Directory, order: Order) -> bool:
    """Whether the order's file is complete, without writing anything: for a reader (the attendance list) of an
    order whose documents were never asked, from stock's list now."""
    if order.required_documents is not None:
        return order.file_complete
    asked = await _asked(directory, order)
    return complete(await _checklist(uow, order, [(d["code"], d["label"]) for d in asked]))


async def items_of(uow: UnitOfWork, directory: Directory, order: Order) -> list[Item]:
    return await _checklist(uow, order, await required_of(uow, directory, order))


async def _checklist(uow: UnitOfWork, order: Order, required: list[tuple[str, str]]) -> list[Item]:
    stmt = (select(OrderDocument.code, OrderDocument.status)
            .where(OrderDocument.order_id == order.id, OrderDocument.code.is_not(None))
            .order_by(OrderDocument.seq))
    latest = {code: DocumentStatus(status) for code, status in await uow.session.execute(stmt)}
    return checklist(required, latest)


async def refresh_file(uow: UnitOfWork, directory: Directory, order: Order, actor: str) -> list[Item]:
    """Recompute the file complete flag; when it changes, log it and announce it, and so may the travel pack
    available flag that depends on it."""
    await uow.session.flush()
    items = await items_of(uow, directory, order)
    done = complete(items)
    if done != order.file_complete:
        order.file_complete = done
        missing = missing_labels(items)
        order.note("file_complete" if done else "file_incomplete",
                   "Dossier complet." if done else f"Dossier incomplet : {', '.join(missing)}.", actor)
        order.announce(events.FileCompleted(order_id=order.id, reference=order.reference, client_id=order.client_id,
                                            complete=done, missing_documents=missing))
    await refresh_availability(uow, order, actor)
    return items


async def upload(uow: UnitOfWork, directory: Directory, order: Order, code: str | None, title: str | None,
                 filename: str, declared_type: str | None, content: bytes, max_bytes: int, actor: str,
                 by_client: bool, checked: bool) -> OrderDocument:
    """A client's upload waits for an operator's check (an alert); an operator's may be checked at once."""
    if by_client and Status(order.status) in CLOSED:
        raise DomainError("order_closed", "Cette commande est close : aucun document ne peut plus y être ajouté.")
    try:
        content_type = check_file(declared_type, content, max_bytes)
    except InvalidFile as invalid:
        status = 413 if invalid.code == "file_too_large" else 422
        raise Problem(status, invalid.code, "File refused", invalid.message) from None
    labels = dict(await required_of(uow, directory, order))
    if code is not None and code not in labels:
        raise Problem(422, "unknown_document_code", "Unknown document",
                      f"The stay asks for no document '{code}'; it asks for: {', '.join(labels) or 'nothing'}.")
    status = DocumentStatus.CHECKED if code is None or (checked and not by_client) else DocumentStatus.TO_CHECK
    document = OrderDocument(
        order_id=order.id, code=code, title=title or (labels[code] if code else filename), filename=safe_name(filename),
        content_type=content_type, size=len(content), content=content, status=status, uploaded_by=actor,
        uploaded_by_client=by_client, uploaded_at=uow.clock.now(),
        checked_by=actor if status == DocumentStatus.CHECKED else None,
        checked_at=uow.clock.now() if status == DocumentStatus.CHECKED else None,
    )
    uow.session.add(document)
    who = "par le client (à vérifier)" if by_client else "par un opérateur"
    order.note("document_uploaded", f"Document « {document.title} » ajouté {who}.", actor, new_version=True)
    await refresh_file(uow, directory, order, actor)
    return document


async def get_document(uow: UnitOfWork, order_id: UUID, document_id: UUID, lock: bool = False) -> OrderDocument:
    document = await uow.session.get(OrderDocument, document_id, with_for_update=lock)
    if document is None or document.order_id != order_id:
        raise NotFound("document", document_id)
    return document


async def review(uow: UnitOfWork, directory: Directory, order_id: UUID, document_id: UUID, accepted: bool,
                 reason: str | None, actor: str) -> OrderDocument:
    """An operator checks a document (ticks it) or refuses it with the reason the client will read."""
    order = await services.get_order(uow, order_id, lock=True)
    document = await get_document(uow, order_id, document_id, lock=True)
    if document.code is None:
        raise DomainError("not_required_document", "Seuls les documents du dossier de voyage se vérifient.")
    document.status = DocumentStatus.CHECKED if accepted else DocumentStatus.REFUSED
    document.refusal_reason = None if accepted else reason
    document.checked_by, document.checked_at = actor, uow.clock.now()
    detail = f"Document « {document.title} » vérifié." if accepted else \
        f"Document « {document.title} » refusé : {reason}."
    order.note("document_checked" if accepted else "document_refused", detail, actor, new_version=True)
    await refresh_file(uow, directory, order, actor)
    return document


async def content_of(uow: UnitOfWork, document: OrderDocument) -> bytes:
    return await uow.session.scalar(select(OrderDocument.content).where(OrderDocument.id == document.id))
