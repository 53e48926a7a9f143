"""The order's PDF: a version at validation, rendered off the request path, every version kept; e-mails logged."""
import re
import uuid
import zlib
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from orders.order_pdfs import snapshot_of
from orders.pdf import render_html
from orders.presentation import Presentation
from orders.tables import Order, OrderParticipant
from shared import events
from shared.clock import FrozenClock
from shared.testing import BusSpy, auth, eventually

from .test_orders_api import optioned


def inflate(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated; a stream whose bytes happen to hold "\\nendstream" is cut short by
    the pattern, so each is inflated as far as it goes rather than all or nothing."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    return pdf + b"".join(zlib.decompressobj().decompress(s) for s in streams if s[:1] == b"x")


def test_the_confirmation_prints_the_lines_and_totals_in_french():
    html = render_html({
        "issuer": "Colo Vacances", "reference": "C000042", "number": 2, "issued_on": "01/03/2027",
        "buyer": {"name": "Mme Claire Martin", "address_lines": ["3 rue des Lilas"], "postal_code": "69003",
                  "city": "Lyon"},
        "stay_title": "Aventure en Ardèche", "start_date": "10/07/2027", "end_date": "24/07/2027",
        "status": "validée", "participants": ["Léa Martin"],
        "lines": [{"label": "Séjour – Léa Martin", "quantity": 1, "unit_price": "1850.00", "amount": "1850.00"}],
        "total": "1850.00", "amount_paid": "300.00", "balance": "1550.00"})
    assert "Confirmation de réservation" in html and "C000042" in html and "(version 2)" in html
    assert "1\u202f850,00 €" in html and "1\u202f550,00 €" in html and "Léa Martin" in html


def test_the_confirmation_names_each_participant_s_legal_guardian():
    buyer = {"name": "Mme Claire Martin", "address_lines": [], "postal_code": None, "city": None}
    order = Order(reference="C000042", buyer=buyer, stay_title="Aventure",
                  start_date=date(2027, 7, 10), end_date=date(2027, 7, 24), status="validated",
                  total=Decimal("1700.00"), amount_paid=Decimal("0.00"), lines=[], participants=[
                      OrderParticipant(first_name="Léa", last_name="Martin", legal_guardian_name="Paul Martin"),
                      OrderParticipant(first_name="Tom", last_name="Martin")])
    uow = SimpleNamespace(clock=FrozenClock(datetime(2027, 3, 1, 9, tzinfo=UTC)))
    snapshot = snapshot_of(order, 1, Presentation("Colo Vacances", ZoneInfo("Europe/Paris")), uow)
    assert snapshot["participants"] == ["Léa Martin (représentant légal : Paul Martin)", "Tom Martin"]
    assert "Léa Martin (représentant légal : Paul Martin), Tom Martin" in render_html(snapshot)


async def versions(orders, order_id, count):
    async def rendered():
        items = (await orders.get(f"/orders/{order_id}/pdfs")).json()["items"]
        return items if len(items) == count and all(i["rendered_at"] for i in items) else None

    return await eventually(rendered)


async def test_validation_then_regeneration_make_two_kept_versions(orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus)
    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "300.00", "method": "card"})
    (first,) = await versions(orders, order["id"], 1)
    assert (first["number"], first["reason"]) == (1, "validated")
    pdf = await orders.get(f"/orders/{order['id']}/pdfs/1")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    title = f"Confirmation de réservation {order['reference']} (version 1)"
    assert title.encode("utf-16-be").hex().encode() in inflate(pdf.content)  # the PDF's title, in hex UTF-16

    asked = await orders.post(f"/orders/{order['id']}/documents/regenerate")
    assert asked.status_code == 202 and asked.json()["number"] == 2
    assert [v["reason"] for v in await versions(orders, order["id"], 2)] == ["validated", "regenerated"]
    assert (await orders.get(f"/orders/{order['id']}/pdfs/1")).content == pdf.content
    family = auth("client", client_id=order["client_id"])
    assert (await orders.get(f"/orders/{order['id']}/pdfs/2", headers=family)).status_code == 200
    assert (await orders.get(f"/orders/{order['id']}/pdfs/3")).status_code == 404
    page = (await orders.get(f"/orders/{order['id']}/pdfs?limit=1")).json()
    following = (await orders.get(f"/orders/{order['id']}/pdfs?limit=1&cursor={page['next_cursor']}")).json()
    assert [v["number"] for v in page["items"] + following["items"]] == [1, 2] and following["next_cursor"] is None
    logged = [e["detail"] for e in (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]
              if e["action"] == "pdf_generated"]
    assert logged == [f"PDF de la commande {order['reference']} version 1 généré (commande validée).",
                      f"PDF de la commande {order['reference']} version 2 généré (regénération)."]


async def test_the_e_mails_sent_about_an_order_are_named_in_its_workflow(orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus)
    await bus.publish(events.EmailSent(email_id=uuid.uuid4(), template="option_confirmation",
                                       recipients=["claire.martin@example.fr"], client_id=order["client_id"],
                                       order_id=order["id"]), uuid.uuid4(), producer="notifications")

    async def logged():
        items = (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]
        return [e["detail"] for e in items if e["action"] == "email_sent"]

    assert await eventually(logged) == ["E-mail « option_confirmation » envoyé à claire.martin@example.fr."]


async def test_an_e_mail_resent_by_an_operator_is_named_in_the_workflow_with_who_asked(orders, directory,
                                                                                        bus: BusSpy):
    order = await optioned(orders, directory, bus)
    await bus.publish(events.EmailSent(email_id=uuid.uuid4(), template="option_confirmation",
                                       recipients=["claire.m@example.fr"], client_id=order["client_id"],
                                       order_id=order["id"], resent_from=uuid.uuid4(), resent_by="Julie Opératrice"),
                      uuid.uuid4(), producer="notifications")

    async def logged():
        items = (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]
        return [e["detail"] for e in items if e["action"] == "email_resent"]

    assert await eventually(logged) == [
        "E-mail « option_confirmation » renvoyé à claire.m@example.fr à la demande de Julie Opératrice."]
