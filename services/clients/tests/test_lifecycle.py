"""Orders' and billing's records of a client, the trash, prospects that order, the account history."""
import uuid
from decimal import Decimal

from shared import events
from shared.testing import BusSpy, auth


async def account(clients, client_id):
    response = await clients.get(f"/clients/{client_id}/account")
    assert response.status_code == 200, response.text
    return response.json()


async def test_orders_payments_and_invoices_make_the_order_history_and_the_balance(clients, samples, bus: BusSpy, applied):
    client = await samples.make_client(clients)
    order_id, invoice_id = uuid.uuid4(), uuid.uuid4()
    await applied(await bus.publish(samples.order_event(events.OrderPlaced, client["id"], order_id, "pending"), order_id, 1))
    figures = await account(clients, client["id"])
    assert (figures["orders"], figures["spent"], figures["balance"]) == (1, "0.00", "0.00")
    assert figures["last_ordered_at"] is not None

    await applied(await bus.publish(samples.order_event(events.OrderValidated, client["id"], order_id, "validated",
                                                paid="300.00"), order_id, 3))
    await applied(await bus.publish(samples.payment_event(client["id"], order_id, "300.00", "300.00"), order_id, 3))
    await applied(await bus.publish(samples.invoice_event(client["id"], order_id, invoice_id), order_id, 1))
    figures = await account(clients, client["id"])
    assert figures == {**figures, "invoiced": "850.00", "credited": "0.00", "paid": "300.00", "balance": "550.00",
                       "orders": 1, "spent": "850.00"}

    await applied(await bus.publish(samples.payment_event(client["id"], order_id, "550.00", "850.00"), order_id, 4))
    assert (await account(clients, client["id"]))["balance"] == "0.00"
    await applied(await bus.publish(samples.credit_note_event(client["id"], order_id, invoice_id), order_id, 2))
    assert (await account(clients, client["id"]))["balance"] == "-850.00"

    [order] = (await clients.get(f"/clients/{client['id']}/orders")).json()["items"]
    assert (order["order_id"], order["status"], order["amount_paid"]) == (str(order_id), "validated", "850.00")


async def test_a_commitment_declared_unpaid_no_longer_counts_as_paid_until_it_is_received(clients, samples,
                                                                                          bus: BusSpy, applied):
    client = await samples.make_client(clients)
    order_id, invoice_id, payment_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await applied(await bus.publish(samples.order_event(events.OrderValidated, client["id"], order_id, "validated",
                                                        paid="850.00"), order_id, 3))
    await applied(await bus.publish(events.PaymentRecorded(
        order_id=order_id, client_id=client["id"], payment_id=payment_id, amount=Decimal("350.00"),
        method="third_party", amount_paid=Decimal("850.00"), balance=Decimal("0.00"), deferred=True,
        pending_collection=Decimal("350.00")), order_id, 4))
    await applied(await bus.publish(samples.invoice_event(client["id"], order_id, invoice_id), order_id, 1))
    assert (await account(clients, client["id"]))["balance"] == "0.00"

    def collected(outcome, paid, version):
        return bus.publish(events.CommitmentCollected(
            order_id=order_id, client_id=client["id"], payment_id=payment_id, amount=Decimal("350.00"),
            outcome=outcome, amount_paid=Decimal(paid), balance=Decimal("850.00") - Decimal(paid),
            pending_collection=Decimal("0.00")), order_id, version)

    await applied(await collected("unpaid", "500.00", 5))
    assert (await account(clients, client["id"]))["paid"] == "500.00"
    assert (await account(clients, client["id"]))["balance"] == "350.00"  # the client owes it again
    await applied(await collected("received", "850.00", 7))
    await applied(await collected("unpaid", "500.00", 5))  # late and older: changes nothing
    assert (await account(clients, client["id"]))["balance"] == "0.00"


async def test_a_corrected_or_deleted_payment_changes_what_the_client_has_paid(clients, samples, bus: BusSpy,
                                                                              applied):
    client = await samples.make_client(clients)
    order_id, payment_id = uuid.uuid4(), uuid.uuid4()
    await applied(await bus.publish(samples.payment_event(client["id"], order_id, "850.00", "850.00"), order_id, 3))
    await applied(await bus.publish(samples.invoice_event(client["id"], order_id, uuid.uuid4()), order_id, 1))
    assert (await account(clients, client["id"]))["balance"] == "0.00"

    def corrected(amount, paid, version, deleted=False):
        return bus.publish(events.PaymentCorrected(
            order_id=order_id, client_id=client["id"], payment_id=payment_id, deleted=deleted,
            amount=Decimal(amount), amount_paid=Decimal(paid), balance=Decimal("850.00") - Decimal(paid),
            pending_collection=Decimal("0.00")), order_id, version)

    await applied(await corrected("800.00", "800.00", 4))
    assert (await account(clients, client["id"]))["balance"] == "50.00"
    await applied(await corrected("800.00", "0.00", 6, deleted=True))
    assert (await account(clients, client["id"]))["balance"] == "850.00"


async def test_late_and_duplicated_events_change_nothing(clients, samples, bus: BusSpy, applied):
    client = await samples.make_client(clients)
    order_id, invoice_id = uuid.uuid4(), uuid.uuid4()
    await applied(await bus.publish(samples.payment_event(client["id"], order_id, "850.00", "850.00"), order_id, 3))
    await applied(await bus.publish(samples.order_event(events.OrderValidated, client["id"], order_id, "validated",
                                                paid="850.00"), order_id, 3))
    await applied(await bus.publish(samples.order_event(events.OrderOptioned, client["id"], order_id, "option"), order_id, 2))
    invoice = await bus.publish(samples.invoice_event(client["id"], order_id, invoice_id), order_id, 1)
    await applied(invoice)
    await applied(await bus.publish(samples.invoice_event(client["id"], order_id, invoice_id), order_id, 1))

    figures = await account(clients, client["id"])
    assert (figures["invoiced"], figures["paid"], figures["balance"], figures["spent"]) == \
        ("850.00", "850.00", "0.00", "850.00")
    [order] = (await clients.get(f"/clients/{client['id']}/orders")).json()["items"]
    assert (order["status"], order["reference"]) == ("validated", "C000042")


async def test_a_refused_order_counts_in_no_history_but_still_guards_deletion(clients, samples, bus: BusSpy, applied):
    client = await samples.make_client(clients)
    order_id = uuid.uuid4()
    await applied(await bus.publish(samples.order_event(events.OrderRefused, client["id"], order_id, "refused",
                                                refusal_reason="complet"), order_id, 2))
    assert (await account(clients, client["id"]))["orders"] == 0
    refused = await clients.delete(f"/clients/{client['id']}")
    assert refused.status_code == 409
    assert refused.json()["code"] == "client_has_records"
    assert "1 order" in refused.json()["detail"]


async def test_a_client_with_an_invoice_cannot_be_deleted(clients, samples, bus: BusSpy, applied):
    client = await samples.make_client(clients)
    order_id = uuid.uuid4()
    await applied(await bus.publish(samples.invoice_event(client["id"], order_id, uuid.uuid4()), order_id, 1))
    refused = await clients.delete(f"/clients/{client['id']}")
    assert refused.status_code == 409 and "1 invoice or credit note" in refused.json()["detail"]
    assert (await clients.get(f"/clients/{client['id']}")).status_code == 200


async def test_a_deleted_client_is_hidden_refused_and_restored_exactly_as_it_was(clients, samples, bus: BusSpy):
    client = await samples.make_client(clients)
    await clients.post(f"/clients/{client['id']}/participants", json={"last_name": "Martin", "first_name": "Léa"})
    before = (await clients.get(f"/clients/{client['id']}")).json()

    deleted = await clients.delete(f"/clients/{client['id']}")
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["client"]["version"] == 3
    assert (await clients.get(f"/clients/{client['id']}")).status_code == 404
    assert (await clients.patch(f"/clients/{client['id']}", json={"city": "Paris"})).status_code == 404
    assert (await clients.get(f"/clients/{client['id']}/participants")).status_code == 404
    assert (await clients.delete(f"/clients/{client['id']}")).status_code == 404
    assert (await clients.get("/clients", params={"q": "martin", "include_dormant": True})).json()["items"] == []
    trash = (await clients.get("/trash/clients")).json()
    assert [t["client"]["id"] for t in trash["items"]] == [client["id"]]
    assert (await bus.wait_for(events.ClientDeleted, client_id=client["id"])).aggregate_version == 3

    restored = await clients.post(f"/clients/{client['id']}/restore")
    assert restored.status_code == 200, restored.text
    assert {**restored.json(), "version": 2, "updated_at": None} == {**before, "updated_at": None}
    assert restored.json()["version"] == 4
    assert (await clients.get("/trash/clients")).json()["items"] == []
    assert len((await clients.get("/clients", params={"q": "martin"})).json()["items"]) == 1
    assert (await bus.wait_for(events.ClientRestored, client_id=client["id"])).aggregate_version == 4
    assert (await clients.post(f"/clients/{client['id']}/restore")).status_code == 404


async def test_the_trash_is_paginated_and_needs_staff_to_change(clients, samples):
    ids = [(await samples.make_client(clients, last_name=name))["id"] for name in ("Martin", "Durand", "Petit")]
    assert (await clients.delete(f"/clients/{ids[0]}", headers=auth("accountant"))).status_code == 403
    for client_id in ids:
        assert (await clients.delete(f"/clients/{client_id}")).status_code == 200
    first = (await clients.get("/trash/clients", params={"limit": 2})).json()
    second = (await clients.get("/trash/clients", params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert [t["client"]["id"] for t in first["items"] + second["items"]] == ids
    assert second["next_cursor"] is None
    assert (await clients.post(f"/clients/{uuid.uuid4()}/restore")).status_code == 404


async def test_a_prospect_that_orders_becomes_a_client_and_an_operator_is_alerted(clients, samples, bus: BusSpy, applied):
    prospect_type = (await clients.post("/client-types", json={"name": "Demande de catalogue",
                                                               "kind": "prospect"})).json()
    prospect = await samples.make_client(clients, kind="prospect", client_type_id=prospect_type["id"])
    company = await samples.make_client(clients, kind="prospect", last_name=None, first_name=None, civility=None,
                                company_name="Mairie de Lyon")
    for client in (prospect, company):
        order_id = uuid.uuid4()
        await applied(await bus.publish(samples.order_event(events.OrderPlaced, client["id"], order_id, "pending"),
                                        order_id, 1))
        await applied(await bus.publish(samples.order_event(events.OrderOptioned, client["id"], order_id, "option"),
                                        order_id, 2))

    converted = (await clients.get(f"/clients/{prospect['id']}")).json()
    assert (converted["kind"], converted["client_type_id"], converted["version"]) == ("private", None, 2)
    assert (await clients.get(f"/clients/{company['id']}")).json()["kind"] == "professional"
    updated = await bus.wait_for(events.ClientUpdated, client_id=prospect["id"])
    assert (updated.data["kind"], updated.aggregate_version) == ("private", 2)

    alerts = (await clients.get("/client-alerts")).json()["items"]
    assert sorted(a["client_id"] for a in alerts) == sorted([prospect["id"], company["id"]])
    assert all(a["reason"] == "prospect_converted" for a in alerts)
    mine = next(a for a in alerts if a["client_id"] == prospect["id"])
    assert "MARTIN Claire" in mine["message"]

    cleared = await clients.post(f"/client-alerts/{mine['id']}/clearance", headers=auth(sub="alice"))
    assert cleared.status_code == 200 and cleared.json()["cleared_by"] == "alice"
    assert [a["client_id"] for a in (await clients.get("/client-alerts")).json()["items"]] == [company["id"]]
    assert len((await clients.get("/client-alerts", params={"include_cleared": True})).json()["items"]) == 2
    assert (await clients.post(f"/client-alerts/{uuid.uuid4()}/clearance")).status_code == 404


async def test_a_private_client_that_orders_stays_as_it_is(clients, samples, bus: BusSpy, applied):
    client = await samples.make_client(clients)
    order_id = uuid.uuid4()
    await applied(await bus.publish(samples.order_event(events.OrderPlaced, client["id"], order_id, "pending"), order_id, 1))
    assert (await clients.get(f"/clients/{client['id']}")).json()["version"] == 1
    assert (await clients.get("/client-alerts")).json()["items"] == []


async def test_the_account_history_says_who_changed_what(clients, samples, bus: BusSpy, applied):
    client = await samples.make_client(clients)
    await clients.patch(f"/clients/{client['id']}", json={"city": "Villeurbanne", "postal_code": "69100"},
                        headers=auth(sub="alice", name="Alice Durand", email="alice@colo.local"))
    await clients.post(f"/clients/{client['id']}/participants", json={"last_name": "Martin", "first_name": "Léa"},
                       headers=auth(sub="bob", role="admin"))
    await clients.delete(f"/clients/{client['id']}")
    await clients.post(f"/clients/{client['id']}/restore")

    entries = (await clients.get(f"/clients/{client['id']}/history")).json()["items"]
    assert [(e["action"], e["entity"], e["actor"]) for e in entries] == [
        ("created", "clients", "operator@test"), ("updated", "clients", "alice"),
        ("created", "participants", "bob"), ("deleted", "clients", "operator@test"),
        ("restored", "clients", "operator@test"),
    ]
    changed = {c["field"]: (c["old"], c["new"]) for c in entries[1]["changes"]}
    assert changed == {"city": ("Lyon", "Villeurbanne"), "postal_code": ("69003", "69100")}
    assert entries[2]["actor_role"] == "admin"
    assert {"field": "first_name", "old": None, "new": "Léa"} in entries[2]["changes"]
    assert (entries[1]["actor_name"], entries[1]["actor_email"]) == ("Alice Durand", "alice@colo.local")
    assert entries[2]["actor_name"] is None, "a token without a name nor an e-mail names nobody"


async def test_a_change_made_by_an_event_is_recorded_as_the_system(clients, samples, bus: BusSpy, applied):
    prospect = await samples.make_client(clients, kind="prospect")
    order_id = uuid.uuid4()
    await applied(await bus.publish(samples.order_event(events.OrderPlaced, prospect["id"], order_id, "pending"), order_id, 1))
    entries = (await clients.get(f"/clients/{prospect['id']}/history")).json()["items"]
    assert [(e["action"], e["actor"]) for e in entries] == [("created", "operator@test"), ("updated", "system")]
    assert entries[1]["changes"] == [{"field": "kind", "old": "prospect", "new": "private"}]
    assert (await clients.get(f"/clients/{uuid.uuid4()}/history")).status_code == 404


async def test_history_pages_follow_each_other(clients, samples):
    client = await samples.make_client(clients)
    for city in ("Paris", "Lille", "Nantes"):
        await clients.patch(f"/clients/{client['id']}", json={"city": city})
    first = (await clients.get(f"/clients/{client['id']}/history", params={"limit": 3})).json()
    second = (await clients.get(f"/clients/{client['id']}/history",
                                params={"limit": 3, "cursor": first["next_cursor"]})).json()
    cities = [c["new"] for e in first["items"] + second["items"] for c in e["changes"] if c["field"] == "city"]
    assert cities == ["Lyon", "Paris", "Lille", "Nantes"] and second["next_cursor"] is None


async def test_a_participant_order_history_lists_the_orders_it_went_on(clients, samples, bus: BusSpy, applied):
    client = await samples.make_client(clients)
    lea, noe = [(await clients.post(f"/clients/{client['id']}/participants",
                                    json={"last_name": "Martin", "first_name": name})).json()["id"]
                for name in ("Léa", "Noé")]
    both, only_lea = uuid.uuid4(), uuid.uuid4()
    await applied(await bus.publish(samples.order_event(events.OrderPlaced, client["id"], both, "pending",
                                                        participants=[lea, noe]), both, 1))
    await applied(await bus.publish(samples.order_event(events.OrderPlaced, client["id"], only_lea, "pending",
                                                        participants=[lea]), only_lea, 1))

    async def orders_of(participant_id):
        response = await clients.get(f"/clients/{client['id']}/orders", params={"participant_id": participant_id})
        return sorted(o["order_id"] for o in response.json()["items"])

    assert await orders_of(lea) == sorted([str(both), str(only_lea)])
    assert await orders_of(noe) == [str(both)]


async def test_a_blocked_client_cannot_be_deleted(clients, samples):
    client = await samples.make_client(clients, blocked=True)
    refused = await clients.delete(f"/clients/{client['id']}")
    assert refused.status_code == 409 and refused.json()["code"] == "client_blocked"


async def test_an_address_that_bounced_alerts_an_operator_on_each_client_that_has_it(clients, samples, bus: BusSpy,
                                                                                     applied):
    bounced = await samples.make_client(clients, email="Claire.Martin@example.fr")
    other = await samples.make_client(clients, email="paul.durand@example.fr")
    await applied(await bus.publish(events.AddressBounced(
        address="claire.martin@example.fr", reason="5.1.1 smtp; 550 5.1.1 user unknown"), uuid.uuid4(), 1,
        producer="notifications"))
    alerts = (await clients.get("/client-alerts")).json()["items"]
    assert [(a["client_id"], a["reason"]) for a in alerts] == [(bounced["id"], "email_bounced")]
    assert "claire.martin@example.fr came back undeliverable (5.1.1 smtp; 550 5.1.1 user unknown)" in \
        alerts[0]["message"]
    assert other["id"] not in [a["client_id"] for a in alerts]
