"""The orders service through its API and the bus, with clients and stock answered by a fake directory."""
import uuid
from datetime import timedelta
from decimal import Decimal

from shared import events
from shared.testing import BusSpy, eventually


async def place(orders, directory, children=1):
    client = directory.add_family(children)
    departure = directory.add_departure()
    response = await orders.post("/orders", json={
        "client_id": str(client.id), "departure_id": str(departure.id),
        "participant_ids": [str(p) for p in client.participants]})
    assert response.status_code == 201, response.text
    return response.json()


async def status_of(orders, order_id):
    return (await orders.get(f"/orders/{order_id}")).json()["status"]


async def optioned(orders, directory, bus: BusSpy, children=1):
    order = await place(orders, directory, children)
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=order["departure_id"],
                                           places=children), order["id"])
    await eventually(lambda: _status_is(orders, order["id"], "option"))
    return order


async def _status_is(orders, order_id, status):
    return await status_of(orders, order_id) == status


async def test_a_booking_starts_pending_and_announces_itself(orders, directory, bus: BusSpy):
    order = await place(orders, directory, children=2)
    assert order["status"] == "pending" and order["version"] == 1
    assert order["total"] == "1700.00" and order["balance"] == "1700.00" and not order["invoiced"]
    assert order["reference"].startswith("C")
    placed = await bus.wait_for(events.OrderPlaced, order_id=order["id"])
    assert placed.data["places"] == 2 and placed.aggregate_version == 1


async def test_the_consents_answered_at_the_order_travel_on_its_placed_event(orders, directory, bus: BusSpy):
    client, departure = directory.add_family(), directory.add_departure()
    body = {"client_id": str(client.id), "departure_id": str(departure.id),
            "participant_ids": [str(p) for p in client.participants]}
    answered = await orders.post("/orders", json={**body, "consents": {"newsletter": True, "partner_offers": False}})
    assert answered.status_code == 201, answered.text
    placed = await bus.wait_for(events.OrderPlaced, order_id=answered.json()["id"])
    assert placed.data["consents"] == {"newsletter": True, "partner_offers": False, "recorded_by": "operator@test"}
    silent = (await orders.post("/orders", json=body)).json()
    assert (await bus.wait_for(events.OrderPlaced, order_id=silent["id"])).data["consents"] is None
    half = await orders.post("/orders", json={**body, "consents": {"newsletter": True}})
    assert half.status_code == 422 and "body.consents.partner_offers" in {e["field"] for e in half.json()["errors"]}


async def test_hold_confirmed_makes_an_option_with_a_deadline(orders, directory, bus: BusSpy, clock):
    order = await optioned(orders, directory, bus)
    body = (await orders.get(f"/orders/{order['id']}")).json()
    assert body["option_expires_at"].startswith((clock.now() + timedelta(days=7)).date().isoformat())
    event = await bus.wait_for(events.OrderOptioned, order_id=order["id"])
    assert event.aggregate_version == 2


async def test_a_rejected_hold_refuses_the_order_with_the_reason(orders, directory, bus: BusSpy):
    order = await place(orders, directory)
    await bus.publish(events.HoldRejected(order_id=order["id"], departure_id=order["departure_id"], places=1, free=0,
                                          reason="Départ complet"), order["id"])
    await eventually(lambda: _status_is(orders, order["id"], "refused"))
    assert (await orders.get(f"/orders/{order['id']}")).json()["refusal_reason"] == "Départ complet"


async def test_a_payment_validates_the_option_and_invoicing_follows_billing(orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus)
    paid = await orders.post(f"/orders/{order['id']}/payments", json={"amount": "300.00", "method": "card"})
    assert paid.status_code == 201, paid.text
    assert await status_of(orders, order["id"]) == "validated"
    recorded = await bus.wait_for(events.PaymentRecorded, order_id=order["id"])
    assert recorded.data["balance"] == "550.00"
    validated = await bus.wait_for(events.OrderValidated, order_id=order["id"])
    assert recorded.aggregate_version == validated.aggregate_version + 1, "each change of the order has its version"

    asked = await orders.post(f"/orders/{order['id']}/invoicing")
    assert asked.status_code == 202
    request = await bus.wait_for(events.InvoicingRequested, order_id=order["id"])
    assert request.data["total"] == "850.00" and request.data["buyer"]["city"] == "Lyon"
    invoice_id = uuid.uuid4()
    await bus.publish(events.InvoiceIssued(order_id=order["id"], client_id=order["client_id"], invoiced=True,
                                           current_invoice_id=invoice_id, invoice_id=invoice_id, number=1,
                                           reference="F2027-00001", total="850.00",
                                           issued_at="2027-03-01T09:00:00Z"), order["id"], 1, producer="billing")
    await eventually(lambda: _field_is(orders, order["id"], "invoiced", True))
    again = await orders.post(f"/orders/{order['id']}/invoicing")
    assert again.status_code == 409 and again.json()["code"] == "already_invoiced"


async def test_a_late_invoice_event_never_re_invoices_a_credited_order(orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus)
    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "850.00", "method": "transfer"})
    invoice_id = uuid.uuid4()
    common = dict(order_id=order["id"], client_id=order["client_id"])
    await bus.publish(events.CreditNoteIssued(**common, invoiced=False, current_invoice_id=None,
                                              credit_note_id=uuid.uuid4(), number=1, reference="A2027-00001",
                                              invoice_id=invoice_id, invoice_reference="F2027-00001",
                                              total="850.00", reason="x", issued_at="2027-03-01T09:00:00Z"),
                      order["id"], 2, producer="billing")
    await eventually(lambda: _has_workflow(orders, order["id"], "uninvoiced"))
    await bus.publish(events.InvoiceIssued(**common, invoiced=True, current_invoice_id=invoice_id,
                                           invoice_id=invoice_id, number=1, reference="F2027-00001", total="850.00",
                                           issued_at="2027-03-01T09:00:00Z"), order["id"], 1, producer="billing")
    marker = await place(orders, directory)  # a later change, to know the stale event has been consumed
    await bus.wait_for(events.OrderPlaced, order_id=marker["id"])
    assert (await orders.get(f"/orders/{order['id']}")).json()["invoiced"] is False


async def test_an_option_expires_then_is_archived_when_the_clock_moves(orders, directory, bus: BusSpy, clock):
    order = await optioned(orders, directory, bus)
    clock.advance(timedelta(days=7, minutes=1))
    await bus.wait_for(events.OrderOptionExpired, order_id=order["id"])
    assert await status_of(orders, order["id"]) == "option_expired"
    clock.advance(timedelta(days=7, minutes=1))
    archived = await bus.wait_for(events.OrderArchived, order_id=order["id"])
    assert archived.data["status"] == "archived"
    actions = [e["action"] for e in (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]]
    assert actions == ["placed", "optioned", "option_expired", "archived"]


async def test_cancellation_needs_a_validated_order(orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus)
    refused = await orders.post(f"/orders/{order['id']}/cancellation", json={"by": "client", "reason": "Malade"})
    assert refused.status_code == 409 and refused.json()["code"] == "cannot_cancel"
    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "100", "method": "cheque"})
    done = await orders.post(f"/orders/{order['id']}/cancellation", json={"by": "client", "reason": "Malade"})
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    cancelled = await bus.wait_for(events.OrderCancelled, order_id=order["id"])
    assert cancelled.data["cancelled_by"] == "client"


async def test_refusals_and_bad_input_are_clear(orders, directory, bus: BusSpy):
    blocked = directory.add_family(blocked=True)
    departure = directory.add_departure()
    body = {"client_id": str(blocked.id), "departure_id": str(departure.id),
            "participant_ids": [str(p) for p in blocked.participants]}
    assert (await orders.post("/orders", json=body)).json()["code"] == "client_blocked"
    stranger = {**body, "client_id": str(directory.add_family().id)}
    assert (await orders.post("/orders", json=stranger)).json()["code"] == "unknown_participant"
    unknown = {**body, "client_id": str(uuid.uuid4())}
    assert (await orders.post("/orders", json=unknown)).status_code == 422
    twice = {**body, "participant_ids": [body["participant_ids"][0]] * 2}
    assert (await orders.post("/orders", json=twice)).status_code == 422
    order = await optioned(orders, directory, bus)
    over = await orders.post(f"/orders/{order['id']}/payments", json={"amount": "10000", "method": "card"})
    assert over.status_code == 409 and over.json()["code"] == "overpayment"
    bad = await orders.post(f"/orders/{order['id']}/payments", json={"amount": "-1", "method": "bitcoin"})
    assert bad.status_code == 422
    assert (await orders.get(f"/orders/{uuid.uuid4()}")).status_code == 404
    assert (await orders.get("/orders", headers={"Authorization": ""})).status_code == 401


async def test_a_retried_payment_with_its_idempotency_key_is_recorded_once(orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus)
    headers = {"Idempotency-Key": "pay-1"}
    first = await orders.post(f"/orders/{order['id']}/payments", json={"amount": "100", "method": "card"},
                              headers=headers)
    again = await orders.post(f"/orders/{order['id']}/payments", json={"amount": "100", "method": "card"},
                              headers=headers)
    assert first.json() == again.json()
    assert (await orders.get(f"/orders/{order['id']}")).json()["amount_paid"] == "100.00"


async def _field_is(orders, order_id, field, value):
    return (await orders.get(f"/orders/{order_id}")).json()[field] == value


async def _has_workflow(orders, order_id, action):
    return action in [e["action"] for e in (await orders.get(f"/orders/{order_id}/workflow")).json()["items"]]


async def test_transport_and_extras_are_priced_per_participant_and_sum_to_the_total(orders, directory):
    client = directory.add_family(children=2)
    departure = directory.add_departure()
    lyon, toulouse = directory.add_city(departure, "Lyon", "50.00"), directory.add_city(departure, "Toulouse", "20.00")
    riding = directory.add_extra(departure, "Équitation", "120.00")
    lea, tom = client.participants
    response = await orders.post("/orders", json={
        "client_id": str(client.id), "departure_id": str(departure.id), "participants": [
            {"participant_id": str(lea), "outbound_city_id": str(toulouse), "return_city_id": str(toulouse),
             "extra_ids": [str(riding)]},
            {"participant_id": str(tom), "outbound_city_id": str(lyon)}]})
    assert response.status_code == 201, response.text
    order = (await orders.get(f"/orders/{response.json()['id']}")).json()
    assert [(line["kind"], line["label"], line["amount"]) for line in order["lines"]] == [
        ("stay", "Séjour Aventure en Ardèche du 10/07/2027 au 24/07/2027 – Enfant0 Martin", "850.00"),
        ("transport", "Transport A/R Toulouse / Toulouse – Enfant0 Martin", "20.00"),
        ("extra", "Option Équitation – Enfant0 Martin", "120.00"),
        ("stay", "Séjour Aventure en Ardèche du 10/07/2027 au 24/07/2027 – Enfant1 Martin", "850.00"),
        ("transport", "Transport A/R Lyon / Lyon – Enfant1 Martin", "50.00"),
    ]
    assert [line["participant_id"] for line in order["lines"]] == [str(lea)] * 3 + [str(tom)] * 2
    assert order["total"] == "1890.00" == str(sum(Decimal(line["amount"]) for line in order["lines"]))


async def test_a_booking_without_choices_is_one_stay_line_per_participant(orders, directory):
    order = await place(orders, directory, children=2)
    assert [(line["kind"], line["quantity"], line["unit_price"]) for line in order["lines"]] == [
        ("stay", 1, "850.00"), ("stay", 1, "850.00")]
    assert directory.price_queries == 1  # participants with the same choices share one query


async def test_unknown_or_incoherent_choices_are_refused_with_a_clear_422(orders, directory):
    client = directory.add_family()
    departure, other = directory.add_departure(), directory.add_departure()
    elsewhere = directory.add_city(other, "Lyon", "50.00")
    (lea,) = client.participants
    body = {"client_id": str(client.id), "departure_id": str(departure.id)}
    unknown = await orders.post("/orders", json={**body, "participants": [
        {"participant_id": str(lea), "outbound_city_id": str(elsewhere)}]})
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_departure_choice"
    for wrong in ({}, {"participant_ids": [str(lea)], "participants": [{"participant_id": str(lea)}]},
                  {"participants": [{"participant_id": str(lea), "return_city_id": str(elsewhere)}]},
                  {"participants": [{"participant_id": str(lea), "extra_ids": [str(elsewhere)] * 2}]},
                  {"participants": [{"participant_id": str(lea)}, {"participant_id": str(lea)}]},
                  {"participants": [{"participant_id": str(lea), "outbound_city_id": str(uuid.uuid4()),
                                     "return_city_id": str(uuid.uuid4())}]}):
        refused = await orders.post("/orders", json={**body, **wrong})
        assert refused.status_code == 422 and refused.json()["code"] == "invalid_request", wrong
    assert (await orders.get("/orders")).json()["items"] == []


async def test_the_invoicing_request_carries_the_order_lines(orders, directory, bus: BusSpy):
    client = directory.add_family()
    departure = directory.add_departure()
    lyon = directory.add_city(departure, "Lyon", "50.00")
    riding = directory.add_extra(departure, "Équitation", "120.00")
    placed = await orders.post("/orders", json={
        "client_id": str(client.id), "departure_id": str(departure.id), "participants": [
            {"participant_id": str(next(iter(client.participants))), "outbound_city_id": str(lyon),
             "extra_ids": [str(riding)]}]})
    order = placed.json()
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=order["departure_id"], places=1),
                      order["id"])
    await eventually(lambda: _status_is(orders, order["id"], "option"))
    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "1020.00", "method": "transfer"})
    assert (await orders.post(f"/orders/{order['id']}/invoicing")).status_code == 202
    request = await bus.wait_for(events.InvoicingRequested, order_id=order["id"])
    fields = ("label", "quantity", "unit_price", "amount")
    assert [{key: line[key] for key in fields} for line in request.data["lines"]] == [
        {key: line[key] for key in fields} for line in order["lines"]]
    assert request.data["total"] == "1020.00" == str(sum(Decimal(line["amount"]) for line in request.data["lines"]))


async def test_orders_tells_which_of_some_ids_are_its_orders(orders, directory):
    first, second = await place(orders, directory), await place(orders, directory)
    unknown = str(uuid.uuid4())
    listed = await orders.get("/orders", params={"ids": [first["id"], unknown, second["id"]]})
    assert listed.status_code == 200, listed.text
    assert {o["id"] for o in listed.json()["items"]} == {first["id"], second["id"]}
    assert (await orders.get("/orders", params={"ids": [unknown]})).json()["items"] == []
    too_many = await orders.get("/orders", params={"ids": [str(uuid.uuid4()) for _ in range(201)]})
    assert too_many.status_code == 422
