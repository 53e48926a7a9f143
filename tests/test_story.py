"""A booking's whole life, through the five services running as separate processes."""
from datetime import timedelta

import pytest

from shared.testing import eventually

pytestmark = pytest.mark.e2e


async def until(client, path, check, timeout=30):
    """GET `path` until `check(body)` holds; the body."""
    async def fetch():
        body = (await client.get(path)).json()
        return body if check(body) else None

    return await eventually(fetch, timeout=timeout, interval=0.1)


async def create_family(clients, email, children):
    family = await clients.post("/clients", json={
        "kind": "private", "civility": "Mme", "last_name": "Martin", "first_name": "Claire", "email": email,
        "address_lines": ["3 rue des Lilas"], "postal_code": "69003", "city": "Lyon"})
    assert family.status_code == 201, family.text
    ids = []
    for i in range(children):
        child = await clients.post(f"/clients/{family.json()['id']}/participants", json={
            "last_name": "Martin", "first_name": f"Léa{i}" if i else "Léa", "birth_date": "2016-05-02"})
        assert child.status_code == 201, child.text
        ids.append(child.json()["id"])
    return family.json()["id"], ids


async def book(orders, client_id, departure_id, participant_ids, outbound_city_id=None):
    participants = [{"participant_id": p, "outbound_city_id": outbound_city_id} for p in participant_ids]
    response = await orders.post("/orders", json={
        "client_id": client_id, "departure_id": departure_id, "participants": participants})
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "pending"
    return response.json()["id"]


async def test_a_booking_travels_through_the_five_services(platform):
    clients, stock, orders = platform.client("clients"), platform.client("stock"), platform.client("orders")
    billing, notifications, smtp = platform.client("billing"), platform.client("notifications"), platform.smtp

    # 1. A stay with one departure of 10 places leaving from Lyon (round trip 50 €), and a family with one child.
    stay = (await stock.post("/stays", json={"title": "Aventure en Ardèche"})).json()
    departure = (await stock.post(f"/stays/{stay['id']}/departures", json={
        "start_date": "2027-07-10", "end_date": "2027-07-24", "capacity": 10, "base_price": "850.00"})).json()
    dep = f"/departures/{departure['id']}"
    lyon = await stock.post(f"{dep}/cities", json={"city": "Lyon", "fare": "50.00"})
    assert lyon.status_code == 201, lyon.text
    family_id, (lea,) = await create_family(clients, "claire.martin@example.fr", 1)

    # 2. The booking from Lyon: pending, then option once stock holds the place; the family is told.
    order_id = await book(orders, family_id, departure["id"], [lea], lyon.json()["id"])
    order = await until(orders, f"/orders/{order_id}", lambda o: o["status"] == "option")
    assert order["option_expires_at"] and order["total"] == "900.00"
    assert [line["kind"] for line in order["lines"]] == ["stay", "transport"]
    assert (await stock.get(dep)).json()["stock"] == {"capacity": 10, "held": 1, "overdue": 0, "confirmed": 0,
                                                      "free": 9}
    emails = await until(notifications, f"/emails?order_id={order_id}",
                         lambda b: any(e["template"] == "option_confirmation" and e["status"] == "sent"
                                       for e in b["items"]))
    assert emails["items"][0]["recipients"] == ["claire.martin@example.fr"]
    mail = (await smtp.wait_for("claire.martin@example.fr")).message
    assert "Aventure en Ardèche" in mail.get_body(("plain",)).get_content()
    assert "archives@colo.local" in smtp.to("claire.martin@example.fr")[0].rcpt_tos

    # 3. More participants than free places: refused with the reason, nothing held.
    crowd_id, crowd = await create_family(clients, "famille.nombreuse@example.fr", 10)
    crowd_order = await book(orders, crowd_id, departure["id"], crowd)
    refused = await until(orders, f"/orders/{crowd_order}", lambda o: o["status"] == "refused")
    assert "9 place(s) disponible(s)" in refused["refusal_reason"]
    assert (await stock.get(dep)).json()["stock"]["free"] == 9

    # 4. A payment validates the order; stock confirms the place; a confirmation e-mail goes out.
    paid = await orders.post(f"/orders/{order_id}/payments", json={"amount": "900.00", "method": "card"})
    assert paid.status_code == 201, paid.text
    assert (await orders.get(f"/orders/{order_id}")).json()["status"] == "validated"
    await until(stock, dep, lambda d: d["stock"]["confirmed"] == 1 and d["stock"]["held"] == 0)
    await until(notifications, f"/emails?order_id={order_id}",
                lambda b: any(e["template"] == "booking_confirmation" and e["status"] == "sent" for e in b["items"]))

    # 5. Invoicing: the series' next invoice (number 1 on a fresh platform) with its PDF; the order shows invoiced;
    # the family is told, the PDF attached.
    assert (await orders.post(f"/orders/{order_id}/invoicing")).status_code == 202
    order = await until(orders, f"/orders/{order_id}", lambda o: o["invoiced"])
    invoices = (await billing.get(f"/invoices?order_id={order_id}")).json()["items"]
    [first] = [i["number"] for i in invoices]
    assert order["invoice_reference"] == invoices[0]["reference"]
    assert invoices[0]["total"] == "900.00"
    pdf = await billing.get(f"/invoices/{invoices[0]['id']}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    await until(notifications, f"/emails?order_id={order_id}",
                lambda b: any(e["template"] == "invoice_available" and e["status"] == "sent" for e in b["items"]))
    [invoice_mail] = [r.message for r in smtp.to("claire.martin@example.fr")
                      if r.message["Subject"] == f"Votre facture {invoices[0]['reference']} est disponible"]
    [attached] = list(invoice_mail.iter_attachments())
    assert attached.get_filename() == f"{invoices[0]['reference']}.pdf" and attached.get_content() == pdf.content

    # 6. Un-invoicing: a credit note naming the invoice; invoicing again gives the next number.
    uninvoicing = await orders.post(f"/orders/{order_id}/uninvoicing", json={"reason": "Erreur d'adresse"})
    assert uninvoicing.status_code == 202
    await until(orders, f"/orders/{order_id}", lambda o: not o["invoiced"])
    credit_notes = (await billing.get(f"/credit-notes?order_id={order_id}")).json()["items"]
    assert [c["invoice_reference"] for c in credit_notes] == [invoices[0]["reference"]]
    assert (await orders.post(f"/orders/{order_id}/invoicing")).status_code == 202
    await until(orders, f"/orders/{order_id}", lambda o: o["invoiced"])
    invoices = (await billing.get(f"/invoices?order_id={order_id}")).json()["items"]
    assert sorted(i["number"] for i in invoices) == [first, first + 1]

    # 7. Cancelled by the client: a credit note for the second invoice, the place released, an e-mail.
    cancelled = await orders.post(f"/orders/{order_id}/cancellation", json={"by": "client", "reason": "Enfant malade"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    second = next(i for i in invoices if i["number"] == first + 1)
    credit_notes = await until(billing, f"/credit-notes?order_id={order_id}", lambda b: len(b["items"]) == 2)
    assert second["reference"] in [c["invoice_reference"] for c in credit_notes["items"]]
    await until(stock, dep, lambda d: d["stock"]["free"] == 10)
    await until(notifications, f"/emails?order_id={order_id}",
                lambda b: any(e["template"] == "cancellation_confirmation" and e["status"] == "sent"
                              for e in b["items"]))
    await until(orders, f"/orders/{order_id}", lambda o: not o["invoiced"])
    def mails_named(body):
        details = " ".join(e["detail"] for e in body["items"] if e["action"] == "email_sent")
        return "« option_confirmation »" in details and "« booking_confirmation »" in details

    log = (await until(orders, f"/orders/{order_id}/workflow", mails_named))["items"]
    actions = [e["action"] for e in log if e["action"] not in ("email_sent", "pdf_generated", "settled")]
    assert actions[:3] == ["placed", "optioned", "validated"] and actions[-2:] == ["cancelled", "uninvoiced"]
    assert any(e["action"] == "pdf_generated" for e in log)
    assert {"invoiced", "uninvoiced", "invoicing_requested", "uninvoicing_requested"} <= set(actions)

    # 8. An unpaid option passes its deadline, then the second delay: overdue, then archived and freed.
    late_id, (tom,) = await create_family(clients, "retardataire@example.fr", 1)
    late_order = await book(orders, late_id, departure["id"], [tom])
    await until(orders, f"/orders/{late_order}", lambda o: o["status"] == "option")
    platform.move_clock(timedelta(days=7, minutes=5))
    await until(orders, f"/orders/{late_order}", lambda o: o["status"] == "option_expired")
    await until(stock, dep, lambda d: d["stock"]["overdue"] == 1 and d["stock"]["held"] == 0)
    platform.move_clock(timedelta(days=7, minutes=5))
    await until(orders, f"/orders/{late_order}", lambda o: o["status"] == "archived")
    await until(stock, dep, lambda d: d["stock"] == {"capacity": 10, "held": 0, "overdue": 0, "confirmed": 0,
                                                     "free": 10})


    # 9. The family's data in one export: what clients holds, and its order, invoices, credit notes and e-mails.
    export = await clients.get(f"/clients/{family_id}/export")
    assert export.status_code == 200, export.text
    held = export.json()["held_by_other_services"]
    assert [o["id"] for o in held["orders"]] == [order_id] and held["quotes"] == []
    assert sorted(i["number"] for i in held["invoices"]) == [first, first + 1] and len(held["credit_notes"]) == 2
    assert {"option_confirmation", "booking_confirmation", "invoice_available"} <= {e["template"] for e in held["emails"]}
