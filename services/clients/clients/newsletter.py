"""Newsletter sign-up from the public site (seed 000): the person confirms with the link mailed to the address, so
that nobody subscribes someone else. Confirmed, the clients with that e-mail get the newsletter consent; when there
is none, a prospect is created with it."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from clients import consent_services, services
from clients.domain.record import Details, tidy
from clients.tables import Client, NewsletterSubscription
from shared.db import UnitOfWork
from shared.events import NewsletterSubscriptionRequested
from shared.logging import log
from shared.problems import DomainError


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def request(uow: UnitOfWork, email: str, last_name: str | None, first_name: str | None, ttl: timedelta
                  ) -> NewsletterSubscription:
    token, now = secrets.token_urlsafe(32), uow.clock.now()
    # The requests never confirmed hold an address for nothing: they go once expired.
    await uow.session.execute(delete(NewsletterSubscription).where(NewsletterSubscription.expires_at <= now))
    subscription = NewsletterSubscription(email=email.strip().lower(), last_name=tidy(last_name),
                                          first_name=tidy(first_name), token_hash=_hash(token), created_at=now,
                                          expires_at=now + ttl)
    uow.session.add(subscription)
    await uow.session.flush()
    name = " ".join(part for part in (subscription.first_name, subscription.last_name) if part)
    uow.emit(NewsletterSubscriptionRequested(subscription_id=subscription.id, email=subscription.email,
                                             display_name=name, token=token, expires_at=subscription.expires_at),
             subscription.id, 1)
    return subscription


async def confirm(uow: UnitOfWork, token: str) -> str:
    """The e-mail subscribed; the link works once."""
    subscription = await uow.session.scalar(
        select(NewsletterSubscription).where(NewsletterSubscription.token_hash == _hash(token)).with_for_update())
    if subscription is None or uow.clock.now() >= subscription.expires_at:
        raise DomainError("subscription_token_invalid",
                          "This link has expired or has already been used: subscribe again.")
    clients = list(await uow.session.scalars(select(Client.id).where(
        Client.email == subscription.email, Client.deleted_at.is_(None), Client.anonymised_at.is_(None))))
    if not clients:
        prospect = await services.create_client(uow, Details(
            kind="prospect", last_name=subscription.last_name, first_name=subscription.first_name,
            email=subscription.email))
        clients = [prospect.id]
    for client_id in clients:
        try:
            await consent_services.answer(uow, client_id, {"newsletter": True}, "front_office", subscription.email)
        except DomainError as refused:
            log.warning("clients.newsletter_consent_not_recorded", client_id=str(client_id), reason=refused.message)
    await uow.session.delete(subscription)
    return subscription.email
