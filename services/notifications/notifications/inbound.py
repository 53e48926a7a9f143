"""The inbound SMTP server of the bounce address (the Return-Path of every mail): delivery status notifications
arrive here and make their addresses invalid. Run with `colo-bounces` next to the service, where the relay or the
MX can reach it; any other mail is accepted and dropped."""
import asyncio
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy.ext.asyncio import async_sessionmaker

from notifications import bounces
from notifications.domain.bounces import bounced_email_id, permanent_failures
from notifications.settings import NotificationsSettings
from shared.clock import Clock, clock_from
from shared.db import UnitOfWork, make_engine
from shared.logging import configure_logging, log


class BounceHandler:
    def __init__(self, sessions: async_sessionmaker, clock: Clock) -> None:
        self.sessions, self.clock = sessions, clock

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd
        report: EmailMessage = message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[assignment]
        failures = permanent_failures(report)
        if not failures:
            log.info("inbound.not_a_bounce", mail_from=envelope.mail_from)
            return "250 OK"
        try:
            async with UnitOfWork(self.sessions, self.clock, "notifications") as uow:
                await bounces.record(uow, failures, bounced_email_id(report))
                await uow.commit()
        except Exception:  # noqa: BLE001 - the sender keeps the notification and tries again later
            log.exception("inbound.bounce_not_recorded")
            return "451 Try again later"
        return "250 OK"


async def serve(settings: NotificationsSettings, sessions: async_sessionmaker, clock: Clock) -> asyncio.Server:
    handler = BounceHandler(sessions, clock)
    return await asyncio.get_running_loop().create_server(
        lambda: SMTP(handler, hostname=settings.sender_domain), settings.inbound_host, settings.inbound_port)


async def _run(settings: NotificationsSettings) -> None:
    engine = make_engine(settings.database_url, settings.db_pool_size, settings.db_connections - 1,
                         settings.db_pool_timeout_seconds, "notifications-inbound")
    server = await serve(settings, async_sessionmaker(engine, expire_on_commit=False), clock_from(settings.clock_file))
    log.info("inbound.listening", host=settings.inbound_host, port=settings.inbound_port)
    async with server:
        await server.serve_forever()


def main() -> None:
    settings = NotificationsSettings()
    settings.require()
    configure_logging("notifications", settings.log_level, settings.log_json)
    asyncio.run(_run(settings))


if __name__ == "__main__":
    main()
