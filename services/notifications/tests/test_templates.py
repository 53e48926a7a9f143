"""Operators edit, preview and test-send the mail templates through the API; clients receive the newest version
in their language, over a real SMTP server."""
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from notifications.domain.mails import MailTemplate
from notifications.tables import Contact
from shared import events
from shared.testing import BusSpy, SmtpSink, auth

from .test_emails import CLAIRE, client_event, departure_event, known_client_and_departure, logged, option

NEW_TEXT = ('{% extends "base.txt" %}{% block body %}Option {{ reference }} posée jusqu\'au '
            '{{ option_expires_at|datetime }}.{% endblock %}')
NEW_HTML = '{% extends "base.html" %}{% block body %}<p>Option {{ reference }}</p>{% endblock %}'


async def test_an_edited_template_is_a_new_version_mailed_from_then_on(
    notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    template = (await notifications.get("/templates/option_confirmation")).json()
    assert template["versions"] == {"fr": 1} and template["current"]["fr"]["author"] == "shipped"
    assert "option_expires_at" in template["variables"] and template["sample"]["reference"]

    saved = await notifications.post("/templates/option_confirmation/versions", json={
        "language": "fr", "subject": "Option {{ reference }} : {{ stay_title }}", "body_text": NEW_TEXT,
        "body_html": NEW_HTML}, headers=auth("operator", name="Julie Opératrice"))
    assert saved.status_code == 201, saved.text
    assert (saved.json()["version"], saved.json()["author"]) == (2, "Julie Opératrice")

    client_id, departure_id = await known_client_and_departure(bus, projections)
    await option(bus, client_id, departure_id)
    message = (await smtp.wait_for(CLAIRE)).message
    assert message["Subject"] == "Option C-2027-0042 : Aventure en Ardèche"
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Bonjour Mme Claire Martin,")
    assert "Option C-2027-0042 posée jusqu'au mardi 1er juin 2027 à 18 h 00." in text
    versions = (await notifications.get("/templates/option_confirmation/versions")).json()["items"]
    assert [v["version"] for v in versions] == [1, 2]
    first = (await notifications.get("/templates", params={"limit": 10})).json()
    rest = (await notifications.get("/templates", params={"cursor": first["next_cursor"]})).json()
    listed = {t["template"]: t["versions"] for t in first["items"] + rest["items"]}
    assert rest["next_cursor"] is None and len(listed) == len(MailTemplate)
    assert listed["option_confirmation"] == {"fr": 2} and listed["invoice_available"] == {"fr": 1}


async def test_a_template_that_does_not_render_is_refused_naming_the_part_and_nothing_changes(notifications):
    for body, field, reason in [
        ({"body_text": "{% if reference %}oups"}, "body.body_text", "Unexpected end of template"),
        ({"subject": "Facture {{ numero }}"}, "body.subject", "unknown variable numero"),
        ({"body_html": "{{ total.__class__.__init__.__globals__ }}"}, "body.body_html", "unsafe"),
    ]:
        draft = {"subject": "Facture {{ reference }}", "body_text": "{{ total|eur }}", "body_html": "<p>x</p>", **body}
        refused = await notifications.post("/templates/invoice_available/versions", json=draft)
        assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert problem["errors"][0]["field"] == field and reason in problem["detail"], problem
    assert (await notifications.get("/templates/invoice_available")).json()["versions"] == {"fr": 1}
    not_allowed = await notifications.post("/templates/invoice_available/versions", headers=auth("accountant"),
                                           json={"subject": "x", "body_text": "x", "body_html": "x"})
    assert not_allowed.status_code == 403


async def test_a_preview_renders_a_draft_or_the_current_version_with_sample_data(notifications):
    current = (await notifications.post("/templates/invoice_available/preview", json={})).json()
    assert (current["version"], current["subject"]) == (1, "Votre facture F-2027-00017 est disponible")
    assert "1\u202f234,50 €" in current["body_text"] and "<!DOCTYPE html>" in current["body_html"]
    draft = (await notifications.post("/templates/invoice_available/preview", json={
        "language": "en", "subject": "Invoice {{ reference }}",
        "body_text": '{% extends "base.txt" %}{% block body %}Total {{ total|eur }}{% endblock %}'})).json()
    assert draft["version"] is None and draft["subject"] == "Invoice F-2027-00017"
    assert draft["body_text"].startswith("Hello Mme Claire Martin,") and "Total €1,234.50" in draft["body_text"]
    broken = await notifications.post("/templates/invoice_available/preview", json={"body_html": "{{ x }"})
    assert broken.status_code == 422 and broken.json()["errors"][0]["field"] == "body.body_html"


async def test_a_test_send_mails_the_sample_to_the_operator_only(notifications, smtp: SmtpSink):
    sent = await notifications.post("/templates/booking_confirmation/test-sends", json={},
                                    headers=auth("operator", email="julie@colo.local"))
    assert sent.status_code == 202, sent.text
    received = await smtp.wait_for("julie@colo.local")
    assert received.rcpt_tos == ["julie@colo.local"]
    assert received.message["Subject"].startswith("[Test] Votre réservation pour « Aventure en Ardèche »")
    assert "C-2027-0042" in received.message.get_body(("plain",)).get_content()
    nowhere = await notifications.post("/templates/booking_confirmation/test-sends", json={})
    assert nowhere.status_code == 422 and nowhere.json()["errors"][0]["field"] == "body.to"


async def test_a_client_reading_english_gets_the_english_version_and_french_where_there_is_none(
    notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    english = await notifications.post("/templates/option_confirmation/versions", json={
        "language": "en", "subject": "Your option for {{ stay_title }} ({{ reference }})", "body_text": (
            '{% extends "base.txt" %}{% block body %}Held until {{ option_expires_at|datetime }}: '
            '{{ total|eur }}.{% endblock %}'), "body_html": NEW_HTML})
    assert english.status_code == 201, english.text
    client_id, departure_id = uuid.uuid4(), uuid.uuid4()
    ann = "ann.smith@example.co.uk"
    await bus.publish(client_event(client_id, ann).model_copy(update={"language": "en"}), client_id, 1)
    await bus.publish(departure_event(departure_id), departure_id, 1)
    await projections(Contact, client_id, language="en")
    await option(bus, client_id, departure_id)
    message = (await smtp.wait_for(ann)).message
    assert message["Subject"] == "Your option for Aventure en Ardèche (C-2027-0042)"
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Hello Mme Claire Martin,") and "Held until Tuesday 1 June 2027 at 18:00: €850.00." in text

    order_id = uuid.uuid4()
    await bus.publish(events.InvoiceIssued(
        order_id=order_id, client_id=client_id, invoiced=True, current_invoice_id=uuid.uuid4(),
        invoice_id=uuid.uuid4(), number=99, reference="F-2027-00099", total=Decimal("850.00"),
        issued_at=datetime(2027, 6, 2, 8, tzinfo=UTC)), order_id, 1)
    [invoice_mail] = await logged(notifications, client_id=str(client_id), template="invoice_available")
    assert invoice_mail["subject"] == "Votre facture F-2027-00099 est disponible"



async def test_the_information_blocks_set_are_what_templates_show_and_an_unset_one_is_refused(
    start_notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    conditions = "Annulation sans frais jusqu'à 30 jours du départ."
    async with start_notifications(smtp.port, information_blocks={"conditions": conditions}) as api:
        unset = await api.post("/templates/option_confirmation/versions", json={
            "subject": "Option {{ reference }}", "body_text": "{{ blocks.horaires }}", "body_html": "<p>x</p>"})
        assert unset.status_code == 422 and unset.json()["errors"][0]["field"] == "body.body_text"
        assert "horaires" in unset.json()["detail"]
        saved = await api.post("/templates/option_confirmation/versions", json={
            "subject": "Option {{ reference }}", "body_html": "<p>{{ blocks.conditions }}</p>",
            "body_text": '{% extends "base.txt" %}{% block body %}{{ blocks.conditions }}{% endblock %}'})
        assert saved.status_code == 201, saved.text
        client_id, departure_id = await known_client_and_departure(bus, projections)
        await option(bus, client_id, departure_id)
        message = (await smtp.wait_for(CLAIRE)).message
    assert conditions in message.get_body(("plain",)).get_content()
    assert "Annulation sans frais jusqu&#39;à 30 jours du départ." in message.get_body(("html",)).get_content()
