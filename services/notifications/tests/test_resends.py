"""An operator sends a logged mail again, to the same or corrected recipients, its documents with it; orders hears
of it for the order's workflow."""
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from shared import events
from shared.testing import ARCHIVE_COPY, BusSpy, SmtpSink, auth, eventually

from .test_emails import CLAIRE, known_client_and_departure, logged, option

CORRECTED = "claire.m@example.fr"


async def test_a_mail_resent_to_a_corrected_address_arrives_as_it_was_and_is_announced(
    notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    client_id, departure_id = await known_client_and_departure(bus, projections)
    order_id = await option(bus, client_id, departure_id)
    [original] = await logged(notifications, order_id=str(order_id), status="sent")
    first = (await smtp.wait_for(CLAIRE)).message

    resent = await notifications.post(f"/emails/{original['id']}/resends", json={"recipients": [CORRECTED]},
                                      headers=auth("operator", name="Julie Opératrice"))
    assert resent.status_code == 202, resent.text
    assert (resent.json()["resent_from"], resent.json()["resent_by"]) == (original["id"], "Julie Opératrice")
    received = await smtp.wait_for(CORRECTED)
    assert sorted(received.rcpt_tos) == sorted([CORRECTED, ARCHIVE_COPY])
    assert received.message["Subject"] == first["Subject"] and received.message["To"] == CORRECTED
    assert (received.message.get_body(("plain",)).get_content()
            == first.get_body(("plain",)).get_content())
    announced = await bus.wait_for(events.EmailSent, email_id=resent.json()["id"])
    assert announced.data["resent_from"] == original["id"] and announced.data["order_id"] == str(order_id)
    assert announced.data["resent_by"] == "Julie Opératrice" and announced.data["recipients"] == [CORRECTED]

    again = await notifications.post(f"/emails/{original['id']}/resends", json={})
    assert again.status_code == 202

    async def twice_to_claire():
        return len(smtp.to(CLAIRE)) == 2 or None

    await eventually(twice_to_claire)


async def test_an_invoice_mail_resent_carries_its_document_again(
    notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    client_id, _ = await known_client_and_departure(bus, projections)
    order_id, invoice_id = uuid.uuid4(), uuid.uuid4()
    await bus.publish(events.InvoiceIssued(
        order_id=order_id, client_id=client_id, invoiced=True, current_invoice_id=invoice_id, invoice_id=invoice_id,
        number=17, reference="F-2027-00017", total=Decimal("850.00"), issued_at=datetime(2027, 6, 2, 8, tzinfo=UTC)),
        order_id, 1)
    [original] = await logged(notifications, order_id=str(order_id), status="sent")
    await notifications.post(f"/emails/{original['id']}/resends", json={"recipients": [CORRECTED]})
    text = (await smtp.wait_for(CORRECTED)).message.get_body(("plain",)).get_content()
    assert f"F-2027-00017.pdf est à télécharger dans votre espace client : http://127.0.0.1:8080/espace/factures/{invoice_id}.pdf" \
        in text


async def test_what_cannot_be_resent_is_refused_with_the_reason(notifications, bus: BusSpy):
    reset_id = uuid.uuid4()
    await bus.publish(events.AccountPasswordResetRequested(
        reset_id=reset_id, account_id=uuid.uuid4(), email=CLAIRE, display_name="Mme MARTIN Claire", token="t0k",
        expires_at=datetime(2027, 5, 1, 10, 0, tzinfo=UTC), role="client", client_id=None), reset_id, 1)
    [reset] = await logged(notifications, template="password_reset", status="sent")
    refused = await notifications.post(f"/emails/{reset['id']}/resends", json={})
    assert refused.status_code == 409 and refused.json()["code"] == "secret_link_not_resendable"

    invalid = await notifications.post(f"/emails/{reset['id']}/resends", json={"recipients": ["pas-une-adresse"]})
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["field"].startswith("body.recipients")
    assert (await notifications.post(f"/emails/{uuid.uuid4()}/resends", json={})).status_code == 404
    reader = await notifications.post(f"/emails/{reset['id']}/resends", json={}, headers=auth("accountant"))
    assert reader.status_code == 403
