"""The notifications service through the bus, a real SMTP server and its API, on real PostgreSQL and RabbitMQ."""
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from prometheus_client import REGISTRY

from notifications.tables import Contact, Departure
from shared import events
from shared.testing import ARCHIVE_COPY as ARCHIVE
from shared.testing import BusSpy, SmtpSink, auth, eventually, free_port

CLAIRE = "claire.martin@example.fr"


def client_event(client_id, email=CLAIRE, cls=events.ClientCreated):
    return cls(client_id=client_id, kind="private", civility="Mme", first_name="Claire", last_name="Martin",
               email=email)


def departure_event(departure_id, title="Aventure en Ardèche"):
    return events.DepartureCreated(
        departure_id=departure_id, stay_id=uuid.uuid4(), stay_title=title, start_date=date(2027, 7, 10),
        end_date=date(2027, 7, 24), base_price=Decimal("850.00"),
        stock=events.DepartureStock(capacity=10, held=0, overdue=0, confirmed=0, free=10),
    )


def order_event(cls, client_id, departure_id, order_id, status, **extra):
    return cls(order_id=order_id, reference="C-2027-0042", client_id=client_id, departure_id=departure_id,
               status=status, places=1, participant_ids=[uuid.uuid4()], total=Decimal("850.00"),
               amount_paid=Decimal("0.00"), invoiced=False, **extra)


async def known_client_and_departure(bus: BusSpy, projections, email: str | None = CLAIRE):
    client_id, departure_id = uuid.uuid4(), uuid.uuid4()
    await bus.publish(client_event(client_id, email), client_id, 1)
    await bus.publish(departure_event(departure_id), departure_id, 1)
    await projections(Contact, client_id)
    await projections(Departure, departure_id)
    return client_id, departure_id


async def option(bus: BusSpy, client_id, departure_id, order_id=None, version=2):
    order_id = order_id or uuid.uuid4()
    await bus.publish(order_event(events.OrderOptioned, client_id, departure_id, order_id, "option",
                                  option_expires_at=datetime(2027, 6, 1, 16, 0, tzinfo=UTC)), order_id, version)
    return order_id


async def logged(api, **filters):
    async def found():
        items = (await api.get("/emails", params=filters)).json()["items"]
        return items or None

    return await eventually(found)


async def test_an_optioned_order_mails_its_client_in_french_with_a_blind_copy_to_the_archive(
    notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    client_id, departure_id = await known_client_and_departure(bus, projections)
    order_id = await option(bus, client_id, departure_id)

    received = await smtp.wait_for(CLAIRE)
    assert sorted(received.rcpt_tos) == sorted([CLAIRE, ARCHIVE])
    message = received.message
    assert message["To"] == CLAIRE and message["Bcc"] is None
    assert message["From"] == "Colo Vacances <reservations@colo.local>"
    assert message["Reply-To"] == "service-client@colo.local"
    assert message["Subject"] == "Votre option pour « Aventure en Ardèche » est enregistrée (commande C-2027-0042)"
    text = message.get_body(("plain",)).get_content()
    assert "Bonjour Mme Claire Martin," in text
    assert "du 10 au 24 juillet 2027" in text and "850,00 €" in text
    assert "jusqu'au mardi 1er juin 2027 à 18 h 00" in text
    assert "Aventure en Ardèche" in message.get_body(("html",)).get_content()

    [summary] = await logged(notifications, order_id=order_id, status="sent")
    assert summary["recipients"] == [CLAIRE] and summary["template"] == "option_confirmation"
    assert summary["client_id"] == str(client_id) and summary["attempts"] == 1
    email = (await notifications.get(f"/emails/{summary['id']}")).json()
    assert email["bcc"] == [ARCHIVE] and email["sent_at"] and email["last_error"] is None
    assert "du 10 au 24 juillet 2027" in email["body_text"]
    sent = await bus.wait_for(events.EmailSent, email_id=summary["id"])
    assert sent.data["recipients"] == [CLAIRE] and sent.data["order_id"] == str(order_id)


async def test_a_deadline_near_midnight_utc_is_mailed_as_the_paris_day_and_hour(
    notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    client_id, departure_id = await known_client_and_departure(bus, projections)
    order_id = uuid.uuid4()
    await bus.publish(order_event(events.OrderOptioned, client_id, departure_id, order_id, "option",
                                  option_expires_at=datetime(2027, 1, 14, 23, 30, tzinfo=UTC)), order_id, 2)
    text = (await smtp.wait_for(CLAIRE)).message.get_body(("plain",)).get_content()
    assert "jusqu'au vendredi 15 janvier 2027 à 0 h 30" in text


async def test_a_client_without_email_is_served_through_the_customer_service_address(
    notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    client_id, departure_id = await known_client_and_departure(bus, projections, email=None)
    await option(bus, client_id, departure_id)
    received = await smtp.wait_for("service-client@colo.local")
    assert received.message["To"] == "service-client@colo.local"
    assert "Claire Martin" in received.message.get_body(("plain",)).get_content()


async def test_mail_follows_the_recipient_preference_with_the_contacts_in_copy(
    notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    client_id, departure_id = uuid.uuid4(), uuid.uuid4()
    guardian = events.GuardianSnapshot(guardian_id=uuid.uuid4(), last_name="Martin", first_name="Paul",
                                       email="paul.martin@example.fr")
    contacts = [events.ContactSnapshot(contact_id=uuid.uuid4(), name="Ana Bernard", email="ana@ce-exemple.fr"),
                events.ContactSnapshot(contact_id=uuid.uuid4(), name="Sans copie", email="no@ce-exemple.fr",
                                       copy_on_emails=False)]
    both = client_event(client_id).model_copy(update={"recipient_preference": "both", "legal_guardians": [guardian],
                                                      "contacts": contacts})
    await bus.publish(both, client_id, 1)
    await bus.publish(departure_event(departure_id), departure_id, 1)
    await projections(Contact, client_id)
    await projections(Departure, departure_id)
    order_id = await option(bus, client_id, departure_id)

    received = await smtp.wait_for("paul.martin@example.fr")
    assert sorted(received.rcpt_tos) == sorted([CLAIRE, "paul.martin@example.fr", "ana@ce-exemple.fr", ARCHIVE])
    assert received.message["To"] == f"{CLAIRE}, paul.martin@example.fr"
    assert received.message["Cc"] == "ana@ce-exemple.fr"
    [email] = await logged(notifications, order_id=order_id, status="sent")
    assert email["cc"] == ["ana@ce-exemple.fr"]

    guardian_only = both.model_copy(update={"recipient_preference": "legal_guardian", "contacts": []})
    await bus.publish(events.ClientUpdated(**guardian_only.model_dump()), client_id, 2)
    await projections(Contact, client_id, version=2)
    second = await option(bus, client_id, departure_id)
    [email] = await logged(notifications, order_id=second, status="sent")
    assert (email["recipients"], email["cc"]) == (["paul.martin@example.fr"], [])


async def test_every_lifecycle_event_sends_its_own_mail(notifications, smtp: SmtpSink, bus: BusSpy, projections):
    client_id, departure_id = await known_client_and_departure(bus, projections)
    refused, validated, cancelled, expired = (uuid.uuid4() for _ in range(4))
    # One order per event: two events of one order handled at once may apply in either order (stale ones send nothing).
    await bus.publish(order_event(events.OrderRefused, client_id, departure_id, refused, "refused",
                                  refusal_reason="Le départ est complet."), refused, 2)
    await bus.publish(order_event(events.OrderValidated, client_id, departure_id, validated, "validated"), validated, 3)
    await bus.publish(order_event(events.OrderCancelled, client_id, departure_id, cancelled, "cancelled",
                                  cancelled_by="client"), cancelled, 4)
    await bus.publish(order_event(events.OrderOptionExpired, client_id, departure_id, expired, "option_expired"),
                      expired, 3)
    await bus.publish(events.InvoiceIssued(
        order_id=validated, client_id=client_id, invoiced=True, current_invoice_id=uuid.uuid4(),
        invoice_id=uuid.uuid4(), number=17, reference="F-2027-00017", total=Decimal("850.00"),
        issued_at=datetime(2027, 6, 2, 8, tzinfo=UTC)), validated, 1)

    async def all_sent():
        items = (await notifications.get("/emails", params={"client_id": str(client_id), "status": "sent"})).json()
        return items["items"] if len(items["items"]) == 5 else None

    sent = {e["template"]: e for e in await eventually(all_sent)}
    assert set(sent) == {"booking_refused", "booking_confirmation", "cancellation_confirmation", "option_expired",
                         "invoice_available"}
    assert sent["invoice_available"]["subject"] == "Votre facture F-2027-00017 est disponible"
    refusal = (await notifications.get(f"/emails/{sent['booking_refused']['id']}")).json()
    assert "Motif : Le départ est complet." in refusal["body_text"]
    only_cancelled = (await notifications.get("/emails", params={"order_id": str(cancelled),
                                                                 "template": "cancellation_confirmation"})).json()
    assert [e["id"] for e in only_cancelled["items"]] == [sent["cancellation_confirmation"]["id"]]


async def test_an_invoice_announced_again_mails_nobody_again(notifications, smtp: SmtpSink, bus: BusSpy, projections):
    client_id, _ = await known_client_and_departure(bus, projections)
    order_id, handled_before = uuid.uuid4(), invoices_handled()
    invoice = events.InvoiceIssued(
        order_id=order_id, client_id=client_id, invoiced=True, current_invoice_id=uuid.uuid4(), invoice_id=uuid.uuid4(),
        number=18, reference="F-2027-00018", total=Decimal("850.00"), issued_at=datetime(2027, 6, 2, 8, tzinfo=UTC))
    await bus.publish(invoice, order_id, 1)
    await bus.publish(invoice.model_copy(update={"repeated": True}), order_id, 2)

    async def both_handled() -> bool:
        return invoices_handled() == handled_before + 2

    await eventually(both_handled)
    emails = (await notifications.get("/emails", params={"order_id": str(order_id)})).json()["items"]
    assert [e["template"] for e in emails] == ["invoice_available"]


def invoices_handled() -> float:
    return REGISTRY.get_sample_value("colo_events_handled_total", {
        "service": "notifications", "event_type": events.InvoiceIssued.TYPE, "outcome": "ok"}) or 0.0


async def test_an_order_event_arriving_before_its_client_is_retried_until_the_client_is_known(
    notifications, smtp: SmtpSink, bus: BusSpy
):
    client_id, departure_id = uuid.uuid4(), uuid.uuid4()
    await bus.publish(departure_event(departure_id), departure_id, 1)
    labels = {"service": "notifications", "event_type": events.OrderOptioned.TYPE, "outcome": "failed"}
    failed_before = REGISTRY.get_sample_value("colo_events_handled_total", labels) or 0
    order_id = await option(bus, client_id, departure_id)

    async def refused_once():
        return (REGISTRY.get_sample_value("colo_events_handled_total", labels) or 0) > failed_before

    await eventually(refused_once)
    await bus.publish(client_event(client_id), client_id, 1)
    await smtp.wait_for(CLAIRE)
    [email] = await logged(notifications, order_id=order_id, status="sent")
    assert email["recipients"] == [CLAIRE]


async def test_stale_and_duplicated_events_change_nothing(notifications, smtp: SmtpSink, bus: BusSpy, projections):
    client_id, departure_id = uuid.uuid4(), uuid.uuid4()
    await bus.publish(departure_event(departure_id), departure_id, 1)
    await bus.publish(client_event(client_id, "new@example.fr", events.ClientUpdated), client_id, 2)
    await bus.publish(client_event(client_id, "old@example.fr"), client_id, 1)  # older: ignored
    await projections(Departure, departure_id)
    await projections(Contact, client_id, version=2)
    order_id = uuid.uuid4()
    validated = await bus.publish(order_event(events.OrderValidated, client_id, departure_id, order_id, "validated"),
                                  order_id, 3)
    await logged(notifications, order_id=order_id)
    await bus.publish(order_event(events.OrderValidated, client_id, departure_id, order_id, "validated"), order_id, 3,
                      envelope_id=validated.id)  # duplicate delivery
    await option(bus, client_id, departure_id, order_id, version=2)  # older than the validation: no mail
    await bus.publish(order_event(events.OrderCancelled, client_id, departure_id, order_id, "cancelled",
                                  cancelled_by="organiser"), order_id, 4)
    await logged(notifications, order_id=order_id, template="cancellation_confirmation", status="sent")
    emails = (await notifications.get("/emails", params={"order_id": str(order_id)})).json()["items"]
    assert [(e["template"], e["recipients"]) for e in emails] == [
        ("booking_confirmation", ["new@example.fr"]), ("cancellation_confirmation", ["new@example.fr"])]
    assert not [r for r in smtp.received if "old@example.fr" in r.rcpt_tos]


async def test_while_the_smtp_server_is_down_mail_waits_counting_attempts_then_leaves(
    start_notifications, bus: BusSpy, projections
):
    sink = SmtpSink(free_port())  # nothing listens on this port yet
    async with start_notifications(sink.port, max_send_attempts=100) as api:
        client_id, departure_id = await known_client_and_departure(bus, projections)
        order_id = await option(bus, client_id, departure_id)
        [summary] = await logged(api, order_id=order_id)

        async def retried():
            email = (await api.get(f"/emails/{summary['id']}")).json()
            return email if email["attempts"] >= 2 else None

        email = await eventually(retried)
        assert email["status"] == "queued" and email["sent_at"] is None
        assert "SMTPConnect" in email["last_error"]
        sink.start()
        try:
            await sink.wait_for(CLAIRE)
            [sent] = await logged(api, order_id=order_id, status="sent")
            assert sent["attempts"] > email["attempts"]
            assert (await api.get(f"/emails/{sent['id']}")).json()["last_error"] is None
        finally:
            sink.stop()


async def test_a_mail_refused_at_every_attempt_ends_failed_and_says_so(start_notifications, bus: BusSpy, projections):
    async with start_notifications(free_port(), max_send_attempts=2) as api:
        client_id, departure_id = await known_client_and_departure(bus, projections)
        order_id = await option(bus, client_id, departure_id)
        [email] = await logged(api, order_id=order_id, status="failed")
        assert email["attempts"] == 2
        failed = await bus.wait_for(events.EmailFailed, email_id=email["id"])
        assert "SMTPConnect" in failed.data["error"]


async def test_the_log_needs_a_back_office_token_and_answers_404_and_422_clearly(notifications):
    assert (await notifications.get("/emails", headers={"Authorization": ""})).status_code == 401
    assert (await notifications.get("/emails", headers=auth("client", client_id=str(uuid.uuid4())))).status_code == 403
    assert (await notifications.get("/emails", headers=auth("accountant"))).status_code == 200
    missing = await notifications.get(f"/emails/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert (await notifications.get("/emails/not-a-uuid")).status_code == 422
    invalid = await notifications.get("/emails", params={"status": "lost", "template": "newsletter"})
    assert invalid.status_code == 422
    assert {e["field"] for e in invalid.json()["errors"]} == {"query.status", "query.template"}


async def test_the_log_is_paginated(notifications, smtp: SmtpSink, bus: BusSpy, projections):
    client_id, departure_id = await known_client_and_departure(bus, projections)
    for _ in range(3):
        await option(bus, client_id, departure_id)

    async def three():
        items = (await notifications.get("/emails", params={"client_id": str(client_id)})).json()["items"]
        return len(items) == 3

    await eventually(three)
    first = (await notifications.get("/emails", params={"client_id": str(client_id), "limit": 2})).json()
    second = (await notifications.get("/emails", params={"client_id": str(client_id), "limit": 2,
                                                         "cursor": first["next_cursor"]})).json()
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["next_cursor"] is None


async def test_joining_instructions_mail_the_legal_guardian_when_the_client_prefers(notifications, smtp: SmtpSink,
                                                                                    bus: BusSpy, projections):
    client_id, departure_id = uuid.uuid4(), uuid.uuid4()
    guardian = events.GuardianSnapshot(guardian_id=uuid.uuid4(), last_name="Martin", email="pere@example.fr")
    await bus.publish(client_event(client_id).model_copy(
        update={"recipient_preference": "legal_guardian", "legal_guardians": [guardian]}), client_id, 1)
    await bus.publish(departure_event(departure_id), departure_id, 1)
    await projections(Contact, client_id)
    await projections(Departure, departure_id)
    order_id = uuid.uuid4()
    await bus.publish(events.TravelPackAttached(
        order_id=order_id, reference="C-2027-0042", client_id=client_id, departure_id=departure_id,
        travel_pack_id=uuid.uuid4(), title="Convocation Lyon", scope="group", available=False,
        missing_documents=["Fiche sanitaire"], amount_due=Decimal("550.00")),
        order_id, 5)
    mail = (await smtp.wait_for("pere@example.fr")).message
    assert mail["Subject"] == "Votre convocation pour « Aventure en Ardèche » (commande C-2027-0042)"
    body = mail.get_body(("plain",)).get_content()
    assert "formalités manquantes : Fiche sanitaire" in body and "550,00 €" in body
    assert smtp.to(CLAIRE) == []


async def test_a_family_s_password_link_is_mailed_to_the_account_and_kept_out_of_the_log(
    notifications, smtp: SmtpSink, bus: BusSpy
):
    reset_id, client_id = uuid.uuid4(), uuid.uuid4()
    token = "s3cr3t-T0ken_value-that-must-not-leak"
    await bus.publish(events.AccountPasswordResetRequested(
        reset_id=reset_id, account_id=uuid.uuid4(), email=CLAIRE, display_name="Mme MARTIN Claire", token=token,
        expires_at=datetime(2027, 5, 1, 10, 0, tzinfo=UTC), role="client", client_id=client_id), reset_id, 1)

    received = await smtp.wait_for(CLAIRE)
    assert received.rcpt_tos == [CLAIRE]
    assert received.message["Subject"] == "Choisissez votre nouveau mot de passe"
    text = received.message.get_body(("plain",)).get_content()
    assert "Bonjour Mme MARTIN Claire," in text
    assert f"http://127.0.0.1:8080/mot-de-passe?jeton={token}" in text
    assert "jusqu'au samedi 1er mai 2027 à 12 h 00" in text
    assert token in received.message.get_body(("html",)).get_content()

    [summary] = await logged(notifications, client_id=client_id, status="sent")
    assert summary["template"] == "password_reset"
    email = (await notifications.get(f"/emails/{summary['id']}")).json()
    assert token not in str(email) and "@@secret-link@@" in email["body_text"]


async def test_an_account_staff_open_for_a_guardian_invites_it_to_the_front_office(
    notifications, smtp: SmtpSink, bus: BusSpy
):
    reset_id, address = uuid.uuid4(), "paul.martin@example.fr"
    await bus.publish(events.AccountPasswordResetRequested(
        reset_id=reset_id, account_id=uuid.uuid4(), email=address, display_name="M. MARTIN Paul", token="t0k",
        expires_at=datetime(2027, 5, 1, 10, 0, tzinfo=UTC), new_account=True, role="legal_guardian",
        client_id=uuid.uuid4()), reset_id, 1)
    mail = (await smtp.wait_for(address)).message
    assert mail["Subject"] == "Votre espace client est ouvert : choisissez votre mot de passe"
    text = mail.get_body(("plain",)).get_content()
    assert "http://127.0.0.1:8080/mot-de-passe?jeton=t0k" in text and "votre adresse e-mail, paul.martin@example.fr" in text


async def test_a_sign_up_is_mailed_its_verification_link_then_welcomed(notifications, smtp: SmtpSink, bus: BusSpy):
    account_id, client_id, token = uuid.uuid4(), uuid.uuid4(), "v3rify-T0ken"
    link = events.EmailVerificationRequested(
        verification_id=uuid.uuid4(), account_id=account_id, client_id=client_id, email=CLAIRE,
        display_name="Mme MARTIN Claire", token=token, expires_at=datetime(2027, 5, 3, 8, 0, tzinfo=UTC))
    await bus.publish(link, link.verification_id)
    received = await smtp.wait_for(CLAIRE)
    assert received.rcpt_tos == [CLAIRE], "the secret link goes to no archive"
    assert received.message["Subject"] == "Confirmez votre adresse e-mail pour activer votre espace client"
    text = received.message.get_body(("plain",)).get_content()
    assert f"http://127.0.0.1:8080/confirmation-inscription?jeton={token}" in text
    assert "jusqu'au lundi 3 mai 2027 à 10 h 00" in text
    [logged_link] = await logged(notifications, client_id=client_id, template="email_verification", status="sent")
    assert token not in str((await notifications.get(f"/emails/{logged_link['id']}")).json())

    await bus.publish(events.SignUpVerified(account_id=account_id, client_id=client_id, email=CLAIRE, civility="Mme",
                                            last_name="Martin", first_name="Claire"), account_id)

    async def welcomed():
        return next((r for r in smtp.to(CLAIRE) if r.message["Subject"] == "Bienvenue dans votre espace client"),
                    None)

    welcome = await eventually(welcomed)
    assert welcome.rcpt_tos == [CLAIRE, ARCHIVE]
    text = welcome.message.get_body(("plain",)).get_content()
    assert text.startswith("Bonjour Mme Claire Martin,") and "bienvenue" in text and "http://127.0.0.1:8080" in text


async def test_the_owner_of_an_address_signed_up_again_is_told_and_a_newsletter_link_is_mailed(
    notifications, smtp: SmtpSink, bus: BusSpy
):
    await bus.publish(events.SignUpRepeated(account_id=uuid.uuid4(), email=CLAIRE, display_name="Mme MARTIN Claire"),
                      uuid.uuid4())
    told = (await smtp.wait_for(CLAIRE)).message
    assert told["Subject"] == "Une inscription a été demandée avec votre adresse e-mail"
    assert "Vous avez déjà un compte chez nous" in told.get_body(("plain",)).get_content()

    subscription = events.NewsletterSubscriptionRequested(
        subscription_id=uuid.uuid4(), email="paul@example.fr", token="n3ws", expires_at=datetime(2027, 5, 3, tzinfo=UTC))
    await bus.publish(subscription, subscription.subscription_id)
    mail = await smtp.wait_for("paul@example.fr")
    assert mail.rcpt_tos == ["paul@example.fr"]
    assert mail.message["Subject"] == "Confirmez votre inscription à notre lettre d'information"
    text = mail.message.get_body(("plain",)).get_content()
    assert text.startswith("Bonjour paul@example.fr,")
    assert "http://127.0.0.1:8080/confirmation-newsletter?jeton=n3ws" in text
async def test_a_staff_user_s_password_link_from_identity_is_mailed_to_it_and_kept_out_of_the_log(
    notifications, smtp: SmtpSink, bus: BusSpy
):
    reset_id, account_id, address = uuid.uuid4(), uuid.uuid4(), f"new.operator.{uuid.uuid4().hex[:6]}@colo.local"
    token = "st4ff-T0ken_value-that-must-not-leak"
    await bus.publish(events.AccountPasswordResetRequested(
        reset_id=reset_id, account_id=account_id, email=address, display_name="Paul Durand", token=token,
        expires_at=datetime(2027, 5, 1, 10, 0, tzinfo=UTC), new_account=True), reset_id, 1)

    received = await smtp.wait_for(address)
    assert received.rcpt_tos == [address]
    assert received.message["Subject"] == "Colo : choisissez votre mot de passe"
    text = received.message.get_body(("plain",)).get_content()
    assert "Bonjour Paul Durand," in text and "Un compte vient de vous être ouvert sur Colo" in text
    assert f"http://127.0.0.1:8080/bo/mot-de-passe?jeton={token}" in text

    summaries = await logged(notifications, template="staff_password", status="sent")
    [summary] = [s for s in summaries if s["recipients"] == [address]]
    email = (await notifications.get(f"/emails/{summary['id']}")).json()
    assert token not in str(email) and "@@secret-link@@" in email["body_text"]


async def test_an_anonymised_client_is_no_longer_named_nor_mailed_at_its_former_address(
    notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    client_id, departure_id = await known_client_and_departure(bus, projections)
    await bus.publish(events.ClientAnonymised(client_id=client_id, kind="private", last_name="Anonyme"), client_id, 3)
    await projections(Contact, client_id, version=3, email=None)
    labels = {"service": "notifications", "event_type": events.ClientUpdated.TYPE, "outcome": "ok"}
    handled_before = REGISTRY.get_sample_value("colo_events_handled_total", labels) or 0
    await bus.publish(client_event(client_id, cls=events.ClientUpdated), client_id, 2)  # from before the erasure

    async def stale_handled():
        return (REGISTRY.get_sample_value("colo_events_handled_total", labels) or 0) > handled_before

    await eventually(stale_handled)
    order_id = await option(bus, client_id, departure_id, version=2)
    [email] = await logged(notifications, order_id=order_id, status="sent")
    assert email["recipients"] == ["service-client@colo.local"]
    text = (await notifications.get(f"/emails/{email['id']}")).json()["body_text"]
    assert "Claire" not in text and "Martin" not in text
    assert not smtp.to(CLAIRE)


async def erased(api, email_id):
    async def done():
        email = (await api.get(f"/emails/{email_id}")).json()
        return email if email["erased_at"] else None

    return await eventually(done)


async def test_an_erased_clients_sent_mails_stay_in_the_log_without_their_recipients_nor_content(
    notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    client_id, departure_id = await known_client_and_departure(bus, projections)
    order_id = await option(bus, client_id, departure_id)
    [sent] = await logged(notifications, order_id=order_id, status="sent")

    await bus.publish(events.ClientAnonymised(client_id=client_id, kind="private", last_name="Anonyme"), client_id, 3)

    email = await erased(notifications, sent["id"])
    assert email["status"] == "sent" and email["sent_at"] and email["attempts"] == 1
    assert email["subject"] == "Votre option pour « Aventure en Ardèche » est enregistrée (commande C-2027-0042)"
    assert email["recipients"] == [] and email["cc"] == []
    assert email["body_text"] == "" and email["body_html"] == ""
    assert "Claire" not in str(email) and CLAIRE not in str(email)


async def test_an_erased_clients_mail_still_waiting_for_the_smtp_server_is_cancelled_never_sent(
    start_notifications, bus: BusSpy, projections
):
    async with start_notifications(free_port(), max_send_attempts=1000) as api:
        client_id, departure_id = await known_client_and_departure(bus, projections)
        order_id = await option(bus, client_id, departure_id)

        async def retried():
            items = (await api.get("/emails", params={"order_id": str(order_id)})).json()["items"]
            return items[0] if items and items[0]["attempts"] >= 1 else None

        waiting = await eventually(retried)
        assert waiting["status"] == "queued"
        await bus.publish(events.ClientAnonymised(client_id=client_id, kind="private", last_name="Anonyme"),
                          client_id, 3)

        email = await erased(api, waiting["id"])
        assert email["status"] == "cancelled" and email["sent_at"] is None
        assert email["recipients"] == [] and email["body_text"] == "" and email["last_error"] is None
        [listed] = (await api.get("/emails", params={"client_id": str(client_id), "status": "cancelled"})).json()["items"]
        assert listed["id"] == email["id"]
