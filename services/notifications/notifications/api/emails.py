"""The delivery log, read by the back office, and a logged mail sent again."""
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from notifications import services
from notifications.api.schemas import EmailOut, EmailSummary, ResendIn, Status
from notifications.domain.mails import MailTemplate
from notifications.tables import Email
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page, keyset_page

router = APIRouter(tags=["emails"])


@router.get("/emails", summary="The delivery log: e-mails queued, sent, failed or cancelled, oldest first.")
async def list_emails(
    uow: UoW,
    _: BackOffice,
    client_id: Annotated[UUID | None, Query(description="Only this client's e-mails.")] = None,
    order_id: Annotated[UUID | None, Query(description="Only the e-mails about this order.")] = None,
    template: Annotated[MailTemplate | None, Query(description="Only e-mails of this template.")] = None,
    status: Annotated[Status | None, Query(description="Only e-mails in this state.")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[EmailSummary]:
    stmt = select(Email)
    for column, value in ((Email.client_id, client_id), (Email.order_id, order_id), (Email.template, template),
                          (Email.status, status)):
        if value is not None:
            stmt = stmt.where(column == value)
    rows, next_cursor = await keyset_page(uow.session, stmt, Email.created_at, Email.id, limit, cursor)
    return Page(items=[EmailSummary.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/emails/{email_id}", summary="One e-mail: its content, recipients and delivery attempts.")
async def get_email(email_id: UUID, uow: UoW, _: BackOffice) -> EmailOut:
    return EmailOut.model_validate(await services.get_email(uow, email_id))


@router.post("/emails/{email_id}/resends", status_code=202,
             summary="Send a logged e-mail again, to the same or corrected recipients; named in the order's workflow.")
async def resend(email_id: UUID, body: ResendIn, uow: UoW, principal: Staff, request: Request) -> EmailSummary:
    email = await services.resend(uow, request.app.state.settings, email_id,
                                  [str(a) for a in body.recipients] if body.recipients else None,
                                  [str(a) for a in body.cc] if body.cc is not None else None,
                                  principal.name or principal.email or principal.sub)
    await uow.commit()
    return EmailSummary.model_validate(email)
