"""Notifications use cases fed by events: keep the projections, queue each e-mail. The caller commits."""
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import quote
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from notifications import bounces, mail_templates, senders
from notifications.domain.delivery import check_resendable
from notifications.domain.mails import SECRET_PLACEHOLDER, MailTemplate, account_password_template
from notifications.domain.recipients import archive_copies, copies, display_name, recipients
from notifications.domain.senders import kind_of
from notifications.domain.templates import DEFAULT_LANGUAGE, Language, sample
from notifications.rendering import render
from notifications.settings import NotificationsSettings
from notifications.tables import Contact, Departure, Email, EmailAttachment, Order
from shared.db import UnitOfWork
from shared.events import (
    AccountPasswordResetRequested,
    ClientState,
    DepartureState,
    EmailVerificationRequested,
    FileCompleted,
    InvoiceIssued,
    NewsletterSubscriptionRequested,
    OrderState,
    SignUpRepeated,
    SignUpVerified,
    TravelPackAttached,
)
from shared.problems import NotFound

Projection = TypeVar("Projection", Contact, Departure)


class NotYetKnown(Exception):
    """A client or departure whose own event has not reached this service yet: raised so that the bus retries."""


async def save_contact(uow: UnitOfWork, client: ClientState, version: int) -> None:
    values = {
        "language": client.language,
        "display_name": display_name(client.kind, client.last_name, client.first_name, client.civility,
                                     client.company_name),
        "email": client.email,
        "recipient_preference": client.recipient_preference,
        "version": version,
        "guardian_emails": [g.email for g in client.legal_guardians if g.email],
        "copy_emails": [c.email for c in client.contacts if c.email and c.copy_on_emails],
    }
    stmt = insert(Contact).values(client_id=client.client_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[Contact.client_id], set_=values))


async def erase_emails(uow: UnitOfWork, client_id: UUID) -> None:
    """The delivery log is a copy of the client's personal data: an erased client's e-mails keep their template,
    subject (a reference and a stay), dates and fate, lose their recipients, bodies and errors (an SMTP error
    names the address), and one not sent yet never will be."""
    mine = (Email.client_id == client_id, Email.erased_at.is_(None))
    await uow.session.execute(update(Email).where(*mine, Email.status == "queued").values(status="cancelled"))
    await uow.session.execute(update(Email).where(*mine).values(
        recipients=[], cc=[], body_text="", body_html="", secret=None, last_error=None, erased_at=uow.clock.now()))


async def save_departure(uow: UnitOfWork, departure: DepartureState) -> None:
    values = {"stay_title": departure.stay_title, "start_date": departure.start_date, "end_date": departure.end_date,
              "organiser_id": departure.organiser_id}
    stmt = insert(Departure).values(departure_id=departure.departure_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[Departure.departure_id], set_=values))


async def save_order(uow: UnitOfWork, order: OrderState) -> None:
    values = {"reference": order.reference, "client_id": order.client_id, "departure_id": order.departure_id,
              "status": order.status, "total": order.total, "amount_paid": order.amount_paid,
              "option_expires_at": order.option_expires_at}
    stmt = insert(Order).values(order_id=order.order_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[Order.order_id], set_=values))


async def save_payments(uow: UnitOfWork, order_id: UUID, amount_paid: Decimal, settled: bool | None = None) -> None:
    """What counts as paid, and whether that settles the order: the balance reminder stops when it does."""
    values: dict[str, Any] = {"amount_paid": amount_paid}
    if settled is not None:
        values["settled"] = settled
    await _update_order(uow, order_id, values)


async def save_file(uow: UnitOfWork, file: FileCompleted) -> None:
    await _update_order(uow, file.order_id, {"missing_documents": [] if file.complete else file.missing_documents})


async def _update_order(uow: UnitOfWork, order_id: UUID, values: dict[str, Any]) -> None:
    changed = await uow.session.execute(update(Order).where(Order.order_id == order_id).values(**values)
                                        .returning(Order.order_id))
    if changed.first() is None:
        raise NotYetKnown(f"order {order_id} is not known yet; its event may still be on its way")


async def queue_reminder(uow: UnitOfWork, settings: NotificationsSettings, order: Order, departure: Departure,
                         template: MailTemplate, email_id: UUID) -> Email:
    contact = await _known(uow, Contact, order.client_id, "client")
    context = {
        "reference": order.reference, "stay_title": departure.stay_title, "start_date": departure.start_date,
        "end_date": departure.end_date, "total": order.total, "amount_paid": order.amount_paid,
        "amount_due": order.total - order.amount_paid, "option_expires_at": order.option_expires_at,
        "missing_documents": order.missing_documents or [],
    }
    return await _queue(uow, settings, contact, template, context, uuid4(), order.order_id, departure.organiser_id,
                        email_id=email_id)


async def queue_order_email(
    uow: UnitOfWork, settings: NotificationsSettings, order: OrderState, template: MailTemplate, event_id: UUID
) -> Email:
    contact = await _known(uow, Contact, order.client_id, "client")
    departure = await _known(uow, Departure, order.departure_id, "departure")
    context = {
        "reference": order.reference, "stay_title": departure.stay_title, "start_date": departure.start_date,
        "end_date": departure.end_date, "total": order.total, "amount_paid": order.amount_paid,
        "option_expires_at": order.option_expires_at, "refusal_reason": order.refusal_reason,
        "cancellation_fees": getattr(order, "cancellation_fees", None), "refund_due": getattr(order, "refund_due", None),
    }
    return await _queue(uow, settings, contact, template, context, event_id, order.order_id, departure.organiser_id)


async def queue_invoice_email(
    uow: UnitOfWork, settings: NotificationsSettings, invoice: InvoiceIssued, template: MailTemplate, event_id: UUID
) -> Email:
    contact = await _known(uow, Contact, invoice.client_id, "client")
    """The invoice's PDF goes with it: fetched from billing before the mail leaves, outside this transaction."""
    context = {"reference": invoice.reference, "total": invoice.total, "issued_at": invoice.issued_at}
    email = await _queue(uow, settings, contact, template, context, event_id, invoice.order_id)
    await uow.session.flush()  # the attachment names the e-mail
    uow.session.add(EmailAttachment(email_id=email.id, kind="invoice", document_id=invoice.invoice_id,
                                    filename=f"{invoice.reference}.pdf", status="pending", created_at=email.created_at))
    return email


async def queue_travel_pack_email(
    uow: UnitOfWork, settings: NotificationsSettings, pack: TravelPackAttached, template: MailTemplate, event_id: UUID
) -> Email:
    """Sent like every client e-mail: to the client, the legal guardians or both, contacts in copy."""
    contact = await _known(uow, Contact, pack.client_id, "client")
    departure = await _known(uow, Departure, pack.departure_id, "departure")
    context = {
        "reference": pack.reference, "stay_title": departure.stay_title, "start_date": departure.start_date,
        "end_date": departure.end_date, "title": pack.title, "replaced": pack.replaced, "available": pack.available,
        "missing_documents": pack.missing_documents, "amount_due": pack.amount_due,
    }
    return await _queue(uow, settings, contact, template, context, event_id, pack.order_id, departure.organiser_id)


async def queue_account_password_email(
    uow: UnitOfWork, settings: NotificationsSettings, reset: AccountPasswordResetRequested, event_id: UUID
) -> Email:
    """A password link from identity, to the account's own address only, the link kept out of the log: a family's,
    a legal guardian's or a reseller's opens the front office, a staff user's the back office."""
    template = account_password_template(reset.role, reset.new_account)
    site = settings.back_office_url if template is MailTemplate.STAFF_PASSWORD else settings.front_office_url
    link = f"{site.rstrip('/')}/mot-de-passe?jeton={quote(reset.token)}"
    context = {"link": SECRET_PLACEHOLDER, "expires_at": reset.expires_at, "new_account": reset.new_account,
               "email": reset.email}
    return await _stored(uow, settings, template, reset.display_name or reset.email, context,
                   event_id, client_id=reset.client_id, order_id=None, to=[reset.email], cc=[], bcc=[], secret=link)


async def queue_verification_email(
    uow: UnitOfWork, settings: NotificationsSettings, link: EmailVerificationRequested, event_id: UUID
) -> Email:
    """The link proving a sign-up's e-mail, to that address only, kept out of the log."""
    secret = f"{settings.front_office_url.rstrip('/')}/confirmation-inscription?jeton={quote(link.token)}"
    template = MailTemplate.EMAIL_VERIFICATION
    context = {"link": SECRET_PLACEHOLDER, "expires_at": link.expires_at}
    return await _stored(uow, settings, template, link.display_name or link.email, context,
                   event_id, client_id=link.client_id, order_id=None, to=[link.email], cc=[], bcc=[], secret=secret)


async def queue_welcome_email(uow: UnitOfWork, settings: NotificationsSettings, verified: SignUpVerified, event_id: UUID
                        ) -> Email:
    template = MailTemplate.WELCOME
    name = display_name("private", verified.last_name, verified.first_name, verified.civility, None)
    context = {"email": verified.email, "front_office_url": settings.front_office_url}
    return await _stored(uow, settings, template, name, context, event_id,
                   client_id=verified.client_id, order_id=None, to=[verified.email], cc=[],
                   bcc=archive_copies(settings.archive_copy_address))


async def queue_sign_up_repeated_email(uow: UnitOfWork, settings: NotificationsSettings, repeated: SignUpRepeated,
                                 event_id: UUID) -> Email:
    """Someone signed up with an address that has an account: its owner, and only it, learns so."""
    template = MailTemplate.SIGN_UP_REPEATED
    context = {"email": repeated.email, "front_office_url": settings.front_office_url}
    return await _stored(uow, settings, template, repeated.display_name or repeated.email, context,
                   event_id, client_id=repeated.client_id, order_id=None, to=[repeated.email], cc=[],
                   bcc=archive_copies(settings.archive_copy_address))


async def queue_newsletter_email(uow: UnitOfWork, settings: NotificationsSettings,
                           subscription: NewsletterSubscriptionRequested, event_id: UUID) -> Email:
    """The link confirming a newsletter sign-up, to that address only, kept out of the log."""
    secret = f"{settings.front_office_url.rstrip('/')}/confirmation-newsletter?jeton={quote(subscription.token)}"
    template = MailTemplate.NEWSLETTER_CONFIRMATION
    context = {"link": SECRET_PLACEHOLDER, "expires_at": subscription.expires_at, "email": subscription.email}
    return await _stored(uow, settings, template, subscription.display_name or subscription.email,
                   context, event_id, client_id=None, order_id=None, to=[subscription.email], cc=[], bcc=[],
                   secret=secret)


async def queue_test_email(uow: UnitOfWork, settings: NotificationsSettings, template: MailTemplate,
                           language: Language, to: str) -> Email:
    """The template's current version with its sample data, to the operator who is editing it, and nobody else."""
    values = sample(template)
    email = await _stored(uow, settings, template, values.pop("name"), values, uuid4(), client_id=None,
                          order_id=None, to=[to], cc=[], bcc=[], language=language)
    email.subject = f"[Test] {email.subject}"
    return email


async def resend(uow: UnitOfWork, settings: NotificationsSettings, email_id: UUID, to: list[str] | None,
                 cc: list[str] | None, by: str) -> Email:
    """The logged mail as it was, to the same or corrected recipients, its documents with it; the archive in blind
    copy as for every mail."""
    original = await get_email(uow, email_id)
    check_resendable(original.erased_at is not None, original.body_text)
    now = uow.clock.now()
    to = to or original.recipients
    email = Email(
        id=uuid4(), template=original.template, subject=original.subject, body_text=original.body_text,
        body_html=original.body_html, recipients=to, cc=copies(original.cc if cc is None else cc, to),
        bcc=archive_copies(settings.archive_copy_address), sender=original.sender, reply_to=original.reply_to,
        client_id=original.client_id, order_id=original.order_id, event_id=uuid4(), status="queued", attempts=0,
        next_attempt_at=now, created_at=now, resent_from=original.id, resent_by=by,
    )
    await bounces.hold_if_invalid(uow, email)
    uow.session.add(email)
    for document in await uow.session.scalars(select(EmailAttachment).where(EmailAttachment.email_id == original.id)):
        uow.session.add(EmailAttachment(
            email_id=email.id, kind=document.kind, document_id=document.document_id, filename=document.filename,
            status=document.status, content=document.content, size=document.size, link=document.link,
            created_at=now))
    return email


async def get_email(uow: UnitOfWork, email_id: UUID) -> Email:
    email = await uow.session.get(Email, email_id)
    if email is None:
        raise NotFound("e-mail", email_id)
    return email


async def _known(uow: UnitOfWork, table: type[Projection], key: UUID, what: str) -> Projection:
    row = await uow.session.get(table, key)
    if row is None:
        raise NotYetKnown(f"{what} {key} is not known yet; its event may still be on its way")
    return row


async def _queue(
    uow: UnitOfWork, settings: NotificationsSettings, contact: Contact, template: MailTemplate,
    context: dict[str, Any], event_id: UUID, order_id: UUID | None, organiser_id: UUID | None = None,
    email_id: UUID | None = None,
) -> Email:
    """To the client, its guardians or both as it prefers, its contacts in copy, the archive in blind copy."""
    to = recipients(contact.email, settings.customer_service_address, contact.recipient_preference,
                    contact.guardian_emails)
    return await _stored(uow, settings, template, contact.display_name, context, event_id,
                         client_id=contact.client_id, order_id=order_id, to=to, cc=copies(contact.copy_emails, to),
                         bcc=archive_copies(settings.archive_copy_address), language=contact.language,
                         organiser_id=organiser_id, email_id=email_id)


async def _stored(
    uow: UnitOfWork, settings: NotificationsSettings, template: MailTemplate, name: str, context: dict[str, Any],
    event_id: UUID, *, client_id: UUID | None, order_id: UUID | None, to: list[str], cc: list[str], bcc: list[str],
    secret: str | None = None, language: Language | None = None, organiser_id: UUID | None = None,
    email_id: UUID | None = None,
) -> Email:
    """Render the mail now, with the template's current version in the client's language and under its
    organiser's sender identity, so that the delivery log keeps exactly what was sent, and queue it."""
    if language is None:
        contact = await uow.session.get(Contact, client_id) if client_id else None
        language = contact.language if contact else DEFAULT_LANGUAGE
    version = await mail_templates.current(uow, template, language)
    sender = await senders.sender_for(uow, settings, organiser_id, kind_of(template))
    mail = render(mail_templates.source_of(version), version.language, settings.time_zone,
                  {**context, "name": name, "signature": sender.name, "customer_service": sender.answered_at,
                   "blocks": settings.information_blocks})
    now = uow.clock.now()
    email = Email(
        id=email_id or uuid4(), template=template.value, subject=mail.subject, body_text=mail.body_text, body_html=mail.body_html,
        recipients=to, cc=cc, bcc=bcc, sender=sender.from_header, reply_to=sender.answered_at, secret=secret, client_id=client_id, order_id=order_id, event_id=event_id,
        status="queued", attempts=0, next_attempt_at=now, created_at=now,
    )
    await bounces.hold_if_invalid(uow, email)
    uow.session.add(email)
    return email
