"""Payments through the API: third-party commitments, collection, settled flag, guardians' shares, locks."""
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from shared import events
from shared.testing import BusSpy, auth

from .test_orders_api import optioned


async def payer(orders, name="CAF du Rhône"):
    response = await orders.post("/third-party-payers", json={"name": name, "email": "vacaf@caf.example.fr"})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_commitment_settles_the_order_until_the_third_party_fails_to_pay(orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus)
    caf = await payer(orders)
    pay = f"/orders/{order['id']}/payments"
    cheque = await orders.post(pay, json={"amount": "500.00", "method": "cheque", "label": "M. Martin",
                                          "bank": "Crédit Agricole", "received_on": "2027-02-27"})
    assert cheque.status_code == 201, cheque.text
    assert cheque.json()["collection"] == "received" and cheque.json()["received_on"] == "2027-02-27"
    commitment = await orders.post(pay, json={"amount": "350.00", "method": "third_party",
                                              "third_party_payer_id": caf["id"]})
    assert commitment.status_code == 201, commitment.text
    assert commitment.json()["collection"] == "pending" and commitment.json()["deferred"]

    settlement = (await orders.get(f"/orders/{order['id']}/settlement")).json()
    assert {k: settlement[k] for k in ("immediate", "deferred", "pending_collection", "balance", "settled")} == {
        "immediate": "500.00", "deferred": "350.00", "pending_collection": "350.00", "balance": "0.00",
        "settled": True}
    settled = await bus.wait_for(events.OrderSettled, order_id=order["id"])
    assert settled.data["settled"] is True and settled.data["pending_collection"] == "350.00"
    recorded = await bus.wait_for(events.PaymentRecorded, payment_id=commitment.json()["id"])
    assert recorded.data["deferred"] is True and recorded.data["balance"] == "0.00"

    unpaid = await orders.post(f"{pay}/{commitment.json()['id']}/collection", json={"outcome": "unpaid"})
    assert unpaid.status_code == 200 and unpaid.json()["collection"] == "unpaid"
    body = (await orders.get(f"/orders/{order['id']}")).json()
    assert body["balance"] == "350.00" and not body["settled"]
    await bus.wait_for(events.OrderSettled, order_id=order["id"], settled=False)
    declared = await bus.wait_for(events.CommitmentCollected, payment_id=commitment.json()["id"], outcome="unpaid")
    assert {k: declared.data[k] for k in ("amount", "amount_paid", "balance", "pending_collection", "received_on")} \
        == {"amount": "350.00", "amount_paid": "500.00", "balance": "350.00", "pending_collection": "0.00",
            "received_on": None}

    late = await orders.post(f"{pay}/{commitment.json()['id']}/collection",
                             json={"outcome": "received", "received_on": "2027-04-02"})
    assert late.json()["collection"] == "received" and late.json()["received_on"] == "2027-04-02"
    settlement = (await orders.get(f"/orders/{order['id']}/settlement")).json()
    assert settlement["settled"] and settlement["pending_collection"] == "0.00" and settlement["received"] == "850.00"
    received = await bus.wait_for(events.CommitmentCollected, payment_id=commitment.json()["id"], outcome="received")
    assert (received.data["amount_paid"], received.data["received_on"]) == ("850.00", "2027-04-02")
    assert received.aggregate_version > declared.aggregate_version
    actions = [e["action"] for e in (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]
               if e["action"] not in ("pdf_generated", "email_sent")]
    assert actions[-5:] == ["settled", "commitment_unpaid", "unsettled", "commitment_received", "settled"]


async def test_each_guardian_share_and_balance(orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus, children=2)
    lea, tom = [p["participant_id"] for p in order["participants"]]
    paid = await orders.post(f"/orders/{order['id']}/payments",
                             json={"amount": "300.00", "method": "transfer", "participant_id": lea})
    assert paid.status_code == 201, paid.text
    shares = (await orders.get(f"/orders/{order['id']}/settlement")).json()["shares"]
    assert [(s["participant_id"], s["share"], s["paid"], s["balance"]) for s in shares] == [
        (lea, "850.00", "300.00", "550.00"), (tom, "850.00", "0.00", "850.00")]
    stranger = await orders.post(f"/orders/{order['id']}/payments",
                                 json={"amount": "10.00", "method": "cash", "participant_id": str(uuid.uuid4())})
    assert stranger.status_code == 422 and stranger.json()["code"] == "unknown_participant"


async def test_payments_in_a_cheque_deposit_are_locked(orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus)
    pay = f"/orders/{order['id']}/payments"
    cheque = (await orders.post(pay, json={"amount": "200.00", "method": "cheque"})).json()
    card = (await orders.post(pay, json={"amount": "100.00", "method": "card"})).json()
    mixed = await orders.post("/payment-batches", json={"kind": "cheque_deposit", "reference": "Remise 1",
                                                        "payment_ids": [cheque["id"], card["id"]]})
    assert mixed.status_code == 409 and mixed.json()["code"] == "not_a_cheque"
    deposit = await orders.post("/payment-batches", json={"kind": "cheque_deposit", "reference": "Remise 1",
                                                          "bank": "La Banque Postale", "payment_ids": [cheque["id"]]})
    assert deposit.status_code == 201, deposit.text
    assert deposit.json()["total"] == "200.00" and deposit.json()["payments"][0]["locked"]

    changed = await orders.patch(f"{pay}/{cheque['id']}", json={"amount": "150.00"})
    assert changed.status_code == 409 and changed.json()["code"] == "payment_locked"
    assert "remise de chèques" in changed.json()["detail"]
    deleted = await orders.delete(f"{pay}/{cheque['id']}")
    assert deleted.status_code == 409 and deleted.json()["code"] == "payment_locked"
    again = await orders.post("/payment-batches", json={"kind": "accounting_export", "reference": "Export 2027-03",
                                                        "payment_ids": [cheque["id"]]})
    assert again.status_code == 409 and again.json()["code"] == "payment_locked"

    assert (await orders.patch(f"{pay}/{card['id']}", json={"label": "Mme Martin"})).json()["label"] == "Mme Martin"
    assert (await orders.delete(f"{pay}/{card['id']}")).status_code == 204
    assert (await orders.get(f"/orders/{order['id']}")).json()["amount_paid"] == "200.00"
    await bus.wait_for(events.PaymentCorrected, order_id=order["id"], deleted=True)
    corrections = sorted(bus.of_type(events.PaymentCorrected, order_id=order["id"]), key=lambda e: e.aggregate_version)
    assert [(e.data["deleted"], e.data["amount_paid"]) for e in corrections] == [(False, "300.00"), (True, "200.00")]
    listed = (await orders.get("/payment-batches?kind=cheque_deposit")).json()["items"]
    assert [b["reference"] for b in listed] == ["Remise 1"]
    assert (await orders.get(f"/payment-batches/{uuid.uuid4()}")).status_code == 404


async def test_a_changed_amount_may_not_overpay(orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus)
    pay = f"/orders/{order['id']}/payments"
    first = (await orders.post(pay, json={"amount": "800.00", "method": "cash"})).json()
    over = await orders.patch(f"{pay}/{first['id']}", json={"amount": "900.00"})
    assert over.status_code == 409 and over.json()["code"] == "overpayment"
    done = await orders.patch(f"{pay}/{first['id']}", json={"amount": "850.00"})
    assert done.status_code == 200 and (await orders.get(f"/orders/{order['id']}")).json()["settled"]
    assert (await orders.patch(f"{pay}/{uuid.uuid4()}", json={"label": "x"})).status_code == 404


async def test_third_party_payers_are_a_configured_list(orders, directory, bus: BusSpy):
    caf = await payer(orders)
    twice = await orders.post("/third-party-payers", json={"name": "CAF du Rhône"})
    assert twice.status_code == 409 and twice.json()["code"] == "third_party_payer_exists"
    assert (await orders.post("/third-party-payers", json={"name": ""})).status_code == 422
    renamed = await orders.patch(f"/third-party-payers/{caf['id']}", json={"name": "CAF 69"})
    assert renamed.json()["name"] == "CAF 69"
    order = await optioned(orders, directory, bus)
    pay = f"/orders/{order['id']}/payments"
    missing = await orders.post(pay, json={"amount": "100.00", "method": "third_party"})
    assert missing.status_code == 409 and missing.json()["code"] == "third_party_payer_required"
    unknown = await orders.post(pay, json={"amount": "100.00", "method": "third_party",
                                           "third_party_payer_id": str(uuid.uuid4())})
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_third_party_payer"
    await orders.post(pay, json={"amount": "100.00", "method": "third_party", "third_party_payer_id": caf["id"]})
    used = await orders.delete(f"/third-party-payers/{caf['id']}")
    assert used.status_code == 409 and used.json()["code"] == "third_party_payer_in_use"
    await orders.patch(f"/third-party-payers/{caf['id']}", json={"active": False})
    inactive = await orders.post(pay, json={"amount": "100.00", "method": "third_party",
                                            "third_party_payer_id": caf["id"]})
    assert inactive.status_code == 409 and inactive.json()["code"] == "third_party_payer_inactive"
    assert [p["name"] for p in (await orders.get("/third-party-payers?active=false")).json()["items"]] == ["CAF 69"]
    unused = await payer(orders, "CE Renault")
    assert (await orders.delete(f"/third-party-payers/{unused['id']}")).status_code == 204
    assert (await orders.get(f"/third-party-payers/{unused['id']}")).status_code == 404
    client = await orders.post("/third-party-payers", json={"name": "X"}, headers=auth("client"))
    assert client.status_code == 403


async def test_a_validated_order_not_invoiced_is_invoiced_on_its_departure_day(orders, directory, bus: BusSpy,
                                                                               clock):
    order = await optioned(orders, directory, bus)  # departs 10/07/2027
    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "850.00", "method": "transfer"})
    client, departure = directory.add_family(), directory.add_departure()
    directory.departures[departure.id] = replace(departure, start_date=date(2027, 7, 9))
    earlier = (await orders.post("/orders", json={"client_id": str(client.id), "departure_id": str(departure.id),
                                                  "participant_ids": [str(p) for p in client.participants]})).json()
    await bus.publish(events.HoldConfirmed(order_id=earlier["id"], departure_id=departure.id, places=1), earlier["id"])
    await bus.wait_for(events.OrderOptioned, order_id=earlier["id"])
    await orders.post(f"/orders/{earlier['id']}/payments", json={"amount": "850.00", "method": "transfer"})
    clock.advance(datetime(2027, 7, 9, 21, 30, tzinfo=UTC) - clock.now())  # 23:30 in Paris on 9 July
    await bus.wait_for(events.InvoicingRequested, order_id=earlier["id"])
    assert not bus.of_type(events.InvoicingRequested, order_id=order["id"])  # same run: not yet its day
    clock.advance(timedelta(hours=1))  # 00:30 in Paris on 10 July
    request = await bus.wait_for(events.InvoicingRequested, order_id=order["id"])
    assert request.data["total"] == "850.00"
    logged = [e for e in (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]
              if e["action"] == "invoicing_requested"]
    assert [e["actor"] for e in logged] == ["system"]
