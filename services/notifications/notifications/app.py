"""Composition of the notifications service. Run with `uvicorn --factory notifications.app:create`."""
from fastapi import FastAPI

from notifications import api, jobs
from notifications.handlers import handlers
from notifications.settings import NotificationsSettings
from notifications.smtp import Mailer
from shared.app import Service, create_app
from shared.clock import Clock

__all__ = ["NotificationsSettings", "create"]


def service(settings: NotificationsSettings) -> Service:
    """Handlers and the sending job need the settings (addresses, SMTP server): the service is built from them."""
    return Service(
        name="notifications",
        title="Colo notifications",
        description="Transactional e-mail to clients, in French, and its delivery log.",
        routers=api.routers,
        handlers=handlers(settings),
        jobs=[jobs.send_queued(settings, Mailer(settings))],
    )


def create(settings: NotificationsSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or NotificationsSettings()
    return create_app(service(settings), settings, clock)
