"""Composition of the notifications service. Run with `uvicorn --factory notifications.app:create`."""
from fastapi import FastAPI

from notifications import api, jobs
from notifications.documents import Documents
from notifications.handlers import handlers
from notifications.settings import NotificationsSettings
from notifications.smtp import Mailer
from shared.app import Service, create_app
from shared.clock import Clock
from shared.http import service_client

__all__ = ["NotificationsSettings", "create"]


def service(settings: NotificationsSettings, documents: Documents) -> Service:
    """Handlers and the sending job need the settings (addresses, SMTP server): the service is built from them."""

    async def close(_: FastAPI) -> None:
        await documents.close()

    return Service(
        name="notifications",
        title="Colo notifications",
        description="Transactional e-mail to clients, from templates operators edit, and its delivery log.",
        routers=api.routers,
        handlers=handlers(settings),
        jobs=[jobs.send_reminders(settings), jobs.fetch_attachments(settings, documents),
              jobs.send_queued(settings, Mailer(settings))],
        on_stop=close,
    )


def create(settings: NotificationsSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or NotificationsSettings()
    documents = Documents(service_client(settings.billing_url, settings))
    return create_app(service(settings, documents), settings, clock)
