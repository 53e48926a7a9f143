"""What leaves for the relay: multipart, dated, identified, DKIM-signed, from the right sender identity, through an
authenticating relay, or diverted to one mailbox on a test platform. Parsed as received by a real SMTP server."""
import base64
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import dkim
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from prometheus_client import REGISTRY

from notifications.settings import NotificationsSettings
from notifications.smtp import Mailer
from notifications.tables import Departure, Email, EmailAttachment
from shared import events
from shared.clock import FrozenClock
from shared.testing import BusSpy, SmtpSink, eventually, free_port

from .test_emails import CLAIRE, departure_event, known_client_and_departure, logged, option


def rsa_key() -> tuple[str, bytes]:
    """A private key (PEM) and the DNS TXT record that publishes its public half."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


async def test_a_mail_is_multipart_dated_identified_and_dkim_signed(
    start_notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    pem, record = rsa_key()
    async with start_notifications(smtp.port, dkim_private_key=pem, dkim_selector="colo2027",
                                   bounce_address="retours@colo.local"):
        client_id, departure_id = await known_client_and_departure(bus, projections)
        await option(bus, client_id, departure_id)
        received = await smtp.wait_for(CLAIRE)

    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Date"] and message["Message-ID"].endswith("@colo.local>")
    assert message["Reply-To"] == "service-client@colo.local" and received.mail_from == "retours@colo.local"
    signature = message["DKIM-Signature"]
    assert "s=colo2027" in signature and "d=colo.local" in signature

    published = {b"colo2027._domainkey.colo.local.": record}
    assert dkim.verify(received.raw, dnsfunc=lambda name, timeout=5: published.get(name))
    tampered = received.raw.replace(b"Aventure en Ard", b"Aventure en Bre")
    assert not dkim.verify(tampered, dnsfunc=lambda name, timeout=5: published.get(name))


async def test_mail_goes_out_under_its_organiser_s_sender_identity_or_the_master_entity_s(
    notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    organiser = uuid.uuid4()
    master = await notifications.post("/sender-identities", json={
        "kind": "customer_service", "name": "Colo Vacances", "address": "contact@colo-vacances.fr",
        "reply_to": "conseillers@colo-vacances.fr"})
    assert master.status_code == 201, master.text
    own = await notifications.post("/sender-identities", json={
        "organiser_id": str(organiser), "kind": "customer_service", "name": "Les Colos du Rhône",
        "address": "bonjour@colos-du-rhone.fr"})
    assert own.status_code == 201, own.text
    again = await notifications.post("/sender-identities", json={
        "kind": "customer_service", "name": "Autre", "address": "autre@colo-vacances.fr"})
    assert again.status_code == 409 and again.json()["code"] == "sender_identity_exists"
    invalid = await notifications.post("/sender-identities", json={
        "kind": "customer_service", "name": "Autre", "address": "pas une adresse"})
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["field"] == "body.address"

    client_id, master_departure = await known_client_and_departure(bus, projections)
    rhone_departure = uuid.uuid4()
    await bus.publish(departure_event(rhone_departure).model_copy(update={"organiser_id": organiser}),
                      rhone_departure, 1)
    await projections(Departure, rhone_departure, organiser_id=organiser)
    rhone_order = await option(bus, client_id, rhone_departure)
    [rhone] = await logged(notifications, order_id=str(rhone_order), status="sent")
    await option(bus, client_id, master_departure)
    await eventually_two(smtp)

    by_sender = {r.message["From"]: r.message for r in smtp.to(CLAIRE)}
    rhone_mail = by_sender["Les Colos du Rhône <bonjour@colos-du-rhone.fr>"]
    assert rhone_mail["Reply-To"] == "bonjour@colos-du-rhone.fr"
    assert rhone_mail.get_body(("plain",)).get_content().rstrip().endswith("Les Colos du Rhône")
    master_mail = by_sender["Colo Vacances <contact@colo-vacances.fr>"]
    assert master_mail["Reply-To"] == "conseillers@colo-vacances.fr"
    assert "conseillers@colo-vacances.fr" in master_mail.get_body(("plain",)).get_content()
    assert (await notifications.get(f"/emails/{rhone['id']}")).json()["subject"].startswith("Votre option")

    await notifications.delete(f"/sender-identities/{own.json()['id']}")
    listed = (await notifications.get("/sender-identities")).json()["items"]
    assert [i["address"] for i in listed] == ["contact@colo-vacances.fr"]


async def eventually_two(smtp: SmtpSink) -> None:
    async def two():
        return len(smtp.to(CLAIRE)) == 2 or None

    await eventually(two)


async def test_a_test_platform_diverts_every_mail_to_its_substitute_mailbox(
    start_notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    async with start_notifications(smtp.port, substitute_address="recette@colo.local"):
        client_id, departure_id = await known_client_and_departure(bus, projections)
        await option(bus, client_id, departure_id)
        received = await smtp.wait_for("recette@colo.local")
    assert received.rcpt_tos == ["recette@colo.local"] and received.message["To"] == CLAIRE
    assert smtp.to(CLAIRE) == []


class Credentials:
    def __init__(self) -> None:
        self.seen: list[tuple[bytes, bytes]] = []

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        self.seen.append((auth_data.login, auth_data.password))
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"colo", b"mot-de-passe-relais"))


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
async def test_the_relay_s_credentials_are_given(
    start_notifications, bus: BusSpy, projections
):
    sink, credentials, port = SmtpSink(), Credentials(), free_port()
    # Authentication without TLS, which aiosmtpd warns about: this relay is a test's, on the loopback.
    relay = Controller(sink, hostname="127.0.0.1", port=port, authenticator=credentials, auth_required=True,
                       auth_require_tls=False)
    relay.start()
    try:
        async with start_notifications(port, smtp_username="colo", smtp_password="mot-de-passe-relais"):
            client_id, departure_id = await known_client_and_departure(bus, projections)
            await option(bus, client_id, departure_id)
            await sink.wait_for(CLAIRE)
        assert credentials.seen == [(b"colo", b"mot-de-passe-relais")]
    finally:
        relay.stop()


async def test_an_invoice_billing_cannot_give_leaves_with_a_link_to_the_family_portal(
    notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    client_id, _ = await known_client_and_departure(bus, projections)
    order_id, invoice_id = uuid.uuid4(), uuid.uuid4()
    await bus.publish(events.InvoiceIssued(
        order_id=order_id, client_id=client_id, invoiced=True, current_invoice_id=invoice_id, invoice_id=invoice_id,
        number=17, reference="F-2027-00017", total=Decimal("850.00"), issued_at=datetime(2027, 6, 2, 8, tzinfo=UTC)),
        order_id, 1)
    message = (await smtp.wait_for(CLAIRE)).message
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    link = f"http://127.0.0.1:8080/espace/factures/{invoice_id}.pdf"
    assert (f"Le document F-2027-00017.pdf est à télécharger dans votre espace client : {link}"
            in message.get_body(("plain",)).get_content())
    assert f'<a href="{link}">' in message.get_body(("html",)).get_content()


def test_a_fetched_document_is_attached_as_a_pdf_after_both_bodies():
    settings = NotificationsSettings(environment="development")
    email = Email(id=uuid.uuid4(), subject="Votre facture F-1", recipients=[CLAIRE], cc=[], bcc=[], body_text="Texte",
                  body_html="<html><body><p>HTML</p></body></html>", secret=None, sender=None, reply_to=None)
    pdf = EmailAttachment(kind="invoice", document_id=uuid.uuid4(), filename="F-1.pdf", status="attached",
                          content=b"%PDF-1.7 facture")
    message = Mailer(settings).message(email, datetime(2027, 6, 2, 8, tzinfo=UTC), [pdf])
    assert message.get_content_type() == "multipart/mixed"
    body, attachment = message.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    assert attachment.get_content_type() == "application/pdf" and attachment.get_filename() == "F-1.pdf"
    assert attachment.get_content() == b"%PDF-1.7 facture"


async def test_the_relay_s_rate_limit_holds_mail_back_to_the_next_minute_across_replicas(
    start_notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    clock = FrozenClock(datetime(2027, 1, 4, 10, 0, tzinfo=UTC))  # months before the options' deadlines: no reminder
    async with start_notifications(smtp.port, clock=clock, replicas=2, send_rate_per_minute=2) as api:
        client_id, departure_id = await known_client_and_departure(bus, projections)
        orders = [await option(bus, client_id, departure_id, version=v) for v in (2, 3, 4)]
        for order_id in orders:
            await logged(api, order_id=str(order_id))

        async def sent():
            return len((await api.get("/emails", params={"status": "sent"})).json()["items"])

        async def two_sent():
            return await sent() == 2 or None

        await eventually(two_sent)
        rounds = send_rounds()

        async def several_more_rounds():
            return send_rounds() >= rounds + 6 or None

        await eventually(several_more_rounds)
        assert await sent() == 2 and len(smtp.to(CLAIRE)) == 2
        clock.advance(timedelta(seconds=61))

        async def all_sent():
            return await sent() == 3 or None

        await eventually(all_sent)


def send_rounds() -> float:
    return REGISTRY.get_sample_value("colo_job_runs_total", {
        "service": "notifications", "job": "send_queued", "outcome": "ok"}) or 0.0


async def test_a_mail_that_cannot_be_written_fails_alone_and_the_mails_behind_it_leave(
    start_notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    async with start_notifications(smtp.port, max_send_attempts=1) as api:
        garbled, departure_id = await known_client_and_departure(bus, projections, email="claire\x07@example.fr")
        unwritable = (await logged(api, order_id=str(await option(bus, garbled, departure_id))))[0]
        sound, _ = await known_client_and_departure(bus, projections)
        await option(bus, sound, departure_id)

        assert (await smtp.wait_for(CLAIRE)).message["To"] == CLAIRE

        async def failed():
            email = (await api.get(f"/emails/{unwritable['id']}")).json()
            return email if email["status"] == "failed" else None

        assert "ValueError" in (await eventually(failed))["last_error"]
