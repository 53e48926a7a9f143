"""A delivery status notification received on the bounce address makes the address invalid: clients is told,
and mail to it is held for an operator instead of bouncing again."""
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email import message_from_string, policy

import aiosmtplib
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from notifications.domain.bounces import bounced_email_id, permanent_failures
from notifications.inbound import serve
from notifications.settings import NotificationsSettings
from shared import events
from shared.clock import FrozenClock
from shared.testing import BusSpy, SmtpSink, eventually, free_port

from .test_emails import CLAIRE, known_client_and_departure, logged, option


def dsn(recipient: str, status: str, message_id: str = "<x@elsewhere>", action: str = "failed") -> str:
    return f"""From: MAILER-DAEMON@relay.example
To: retours@colo.local
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="REPORT"

--REPORT
Content-Type: text/plain

Your message could not be delivered to one or more recipients.
--REPORT
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example

Final-Recipient: rfc822; {recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 {status} user unknown

--REPORT
Content-Type: text/rfc822-headers

Message-ID: {message_id}
Subject: Votre option

--REPORT--
"""


def test_only_a_permanent_failure_counts_and_names_our_mail():
    email_id = uuid.uuid4()
    report = message_from_string(dsn("Claire.Martin@example.fr", "5.1.1", f"<{email_id}@colo.local>"),
                                 policy=policy.default)
    [bounce] = permanent_failures(report)
    assert bounce.address == CLAIRE and bounce.reason == "5.1.1 smtp; 550 5.1.1 user unknown"
    assert bounced_email_id(report) == email_id
    assert permanent_failures(message_from_string(dsn(CLAIRE, "4.2.2", action="delayed"), policy=policy.default)) == []
    assert permanent_failures(message_from_string("Subject: bonjour\n\nUn message.", policy=policy.default)) == []


@asynccontextmanager
async def inbound(database_url: str):
    """The bounce address's SMTP server, as `colo-bounces` runs it."""
    settings = NotificationsSettings(environment="development", database_url=database_url, inbound_port=free_port())
    engine = create_async_engine(database_url)
    server = await serve(settings, async_sessionmaker(engine, expire_on_commit=False),
                         FrozenClock(datetime(2027, 6, 1, tzinfo=UTC)))
    try:
        yield settings.inbound_port
    finally:
        server.close()
        await server.wait_closed()
        await engine.dispose()


async def test_a_bounce_makes_the_address_invalid_and_holds_mail_to_it_until_cleared(
    notifications, notifications_db, smtp: SmtpSink, bus: BusSpy, projections
):
    client_id, departure_id = await known_client_and_departure(bus, projections)
    first = await option(bus, client_id, departure_id)
    [sent] = await logged(notifications, order_id=str(first), status="sent")

    async with inbound(notifications_db) as port:
        for report in (dsn(CLAIRE, "4.2.2", f"<{sent['id']}@colo.local>", action="delayed"),
                       dsn(CLAIRE, "5.1.1", f"<{sent['id']}@colo.local>")):
            await aiosmtplib.send(report, sender="mailer-daemon@relay.example", recipients=["retours@colo.local"], hostname="127.0.0.1",
                                  port=port)
    bounced = await bus.wait_for(events.AddressBounced, address=CLAIRE)
    assert bounced.data["email_id"] == sent["id"] and bounced.data["reason"].startswith("5.1.1")
    [invalid] = (await notifications.get("/invalid-addresses")).json()["items"]
    assert (invalid["address"], invalid["email_id"]) == (CLAIRE, sent["id"])

    second = await option(bus, client_id, departure_id, version=2)
    [held] = await logged(notifications, order_id=str(second), status="held")
    assert held["recipients"] == [CLAIRE]
    detail = (await notifications.get(f"/emails/{held['id']}")).json()
    assert detail["last_error"] == f"Adresse invalide (retour de distribution) : {CLAIRE}"
    assert len(smtp.to(CLAIRE)) == 1

    assert (await notifications.delete(f"/invalid-addresses/{CLAIRE}")).status_code == 204
    assert (await notifications.delete(f"/invalid-addresses/{CLAIRE}")).status_code == 404
    assert (await notifications.post(f"/emails/{held['id']}/resends", json={})).status_code == 202

    async def twice():
        return len(smtp.to(CLAIRE)) == 2 or None

    await eventually(twice)
