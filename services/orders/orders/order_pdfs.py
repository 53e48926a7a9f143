"""The order's PDF versions: a request stores the order's snapshot, a job renders it off the request path.

Requested when the order is validated or modified at once (orders consumes its own events, whoever changed the
order), when stock confirms a modification proposed to it (the PDF then shows the order modified), and when an
operator asks to regenerate; every version is kept and named in the workflow log.
"""
import asyncio
from typing import Any

from sqlalchemy import func, select

from orders import services
from orders.domain.lifecycle import LABELS, Status
from orders.pdf import render_pdf
from orders.presentation import Presentation
from orders.tables import Order, OrderPdf
from shared.db import UnitOfWork
from shared.money import quantize

REASONS = {"validated": "commande validée", "modified": "commande modifiée", "regenerated": "regénération"}
BATCH = 20


def snapshot_of(order: Order, number: int, presentation: Presentation, uow: UnitOfWork) -> dict[str, Any]:
    """All that the PDF prints, as JSON, so that the version renders again identically."""
    return {
        "issuer": presentation.issuer, "reference": order.reference, "number": number,
        "issued_on": presentation.day(uow.clock.now()), "buyer": order.buyer,
        "stay_title": order.stay_title, "start_date": f"{order.start_date:%d/%m/%Y}",
        "end_date": f"{order.end_date:%d/%m/%Y}", "status": LABELS[Status(order.status)],
        "participants": [f"{p.first_name} {p.last_name}"
                         + (f" (représentant légal : {p.legal_guardian_name})" if p.legal_guardian_name else "")
                         for p in order.participants],
        "lines": [{"label": line.label, "quantity": line.quantity, "unit_price": str(line.unit_price),
                   "amount": str(line.amount)} for line in order.lines],
        "total": str(order.total), "amount_paid": str(order.amount_paid),
        "balance": str(quantize(order.total - order.amount_paid)),
    }


async def request_pdf(uow: UnitOfWork, order: Order, reason: str, actor: str, presentation: Presentation
                      ) -> OrderPdf:
    last = await uow.session.scalar(select(func.max(OrderPdf.number)).where(OrderPdf.order_id == order.id))
    number = (last or 0) + 1
    version = OrderPdf(order_id=order.id, number=number, order_version=order.version, reason=reason,
                       snapshot=snapshot_of(order, number, presentation, uow), requested_at=uow.clock.now(),
                       requested_by=actor)
    uow.session.add(version)
    await uow.session.flush()
    return version


async def render_pending(uow: UnitOfWork) -> None:
    """Render the PDFs requested and not rendered yet, a few at a time, each commit naming it in the log."""
    while True:
        stmt = (select(OrderPdf).where(OrderPdf.rendered_at.is_(None)).order_by(OrderPdf.requested_at)
                .limit(BATCH).with_for_update(skip_locked=True))
        pending = list(await uow.session.scalars(stmt))
        if not pending:
            return
        for version in pending:
            version.pdf = await asyncio.to_thread(render_pdf, version.snapshot)
            version.rendered_at = uow.clock.now()
            order = await services.get_order(uow, version.order_id)
            services._log(uow, order, "pdf_generated",
                          f"PDF de la commande {order.reference} version {version.number} généré "
                          f"({REASONS[version.reason]}).", services.SYSTEM)
        await uow.commit()


async def pdf_content(uow: UnitOfWork, version: OrderPdf) -> bytes | None:
    return await uow.session.scalar(select(OrderPdf.pdf).where(OrderPdf.id == version.id))
