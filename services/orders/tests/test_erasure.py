"""A client's GDPR erasure on orders' side: its orders and quotes keep their accounting trail, lose who they were."""
import uuid

import psycopg
from sqlalchemy import Engine, event

from shared import events
from shared.testing import BusSpy, auth, eventually

from .test_documents import PDF, with_paperwork
from .test_modifications_api import optioned as modifiable
from .test_orders_api import optioned


async def test_an_erased_clients_orders_and_quotes_keep_their_amounts_and_lose_every_personal_detail(
        orders, directory, bus: BusSpy):
    order = await with_paperwork(orders, directory, bus)
    order_id, client_id = order["id"], order["client_id"]
    client = directory.clients[uuid.UUID(client_id)]
    quote = (await orders.post("/quotes", json={
        "client_id": client_id, "departure_id": order["departure_id"],
        "participants": [{"participant_id": str(p)} for p in client.participants]})).json()
    assert (await orders.post(f"/orders/{order_id}/notes", json={"text": "Mme Martin rappelle ce soir"})
            ).status_code == 201
    family = auth("client", client_id=client_id, sub=str(uuid.uuid4()), name="Mme MARTIN Claire",
                  email="claire@example.org")
    assert (await orders.put(f"/orders/{order_id}/additional-information", json={"text": "Peur du noir"},
                             headers=family)).status_code == 200
    staff = auth("operator", sub=str(uuid.uuid4()), name="Lucie Opératrice")
    assert (await orders.put(f"/orders/{order_id}/additional-information", json={"text": "Peur du noir."},
                             headers=staff)).status_code == 200
    named = [e["actor_name"] for e in (await orders.get(f"/orders/{order_id}/workflow")).json()["items"]]
    assert "Mme MARTIN Claire" in named and "Lucie Opératrice" in named
    assert (await orders.post(f"/orders/{order_id}/documents", data={"code": "health_form"},
                              files={"file": ("fiche-enfant0.pdf", PDF, "application/pdf")})).status_code == 201
    assert (await orders.post(f"/orders/{order_id}/payments", json={
        "amount": "100.00", "method": "cheque", "label": "MARTIN CLAIRE", "note": "Mme Martin passera lundi"})
            ).status_code == 201
    before = (await orders.get(f"/orders/{order_id}")).json()
    other = await optioned(orders, directory, bus)

    await bus.publish(events.ClientAnonymised(client_id=client_id, kind="private", last_name="Anonyme"),
                      uuid.UUID(client_id), 5, producer="clients")

    async def erased():
        found = (await orders.get(f"/orders/{order_id}")).json()
        return found if found["participants"][0]["last_name"] == "Anonyme" else None

    found = await eventually(erased)
    assert [found[k] for k in ("reference", "status", "total", "amount_paid")] == [
        before[k] for k in ("reference", "status", "total", "amount_paid")]
    [payment] = (await orders.get(f"/orders/{order_id}/payments")).json()["items"]
    assert payment["note"] == "" and payment["label"] == "MARTIN CLAIRE"  # who paid: the accounting trail
    assert found["participants"][0]["first_name"] == "Anonyme" and found["participants"][0]["birth_date"] is None
    assert found["additional_information"] is None
    assert (await orders.get(f"/orders/{order_id}/notes")).json()["items"] == []
    assert (await orders.get(f"/orders/{order_id}/documents")).json()["items"] == []
    assert found["lines"][0]["label"].endswith("– Anonyme Anonyme")
    assert "Enfant0" not in str(found) and "Claire" not in str(found)
    workflow = (await orders.get(f"/orders/{order_id}/workflow")).json()["items"]
    assert "Claire" not in str(workflow) and "Lucie Opératrice" in str(workflow), "staff stay named"
    erased_quote = (await orders.get(f"/quotes/{quote['id']}")).json()
    assert [(p["last_name"], p["first_name"]) for p in erased_quote["participants"]] == [("Anonyme", "Anonyme")]
    assert erased_quote["total"] == quote["total"] and "Enfant" not in str(erased_quote)
    untouched = (await orders.get(f"/orders/{other['id']}")).json()
    assert untouched["participants"][0]["first_name"] == "Enfant0"


async def test_a_modification_waiting_for_stock_when_the_client_is_erased_applies_without_names(
        orders, directory, bus: BusSpy):
    order, client, _, kids, _ = await modifiable(orders, directory, bus)
    asked = await orders.post(f"/orders/{order['id']}/modifications",
                              json={"participants": [{"participant_id": str(k)} for k in kids]})
    assert asked.status_code == 202, asked.text
    proposed = await bus.wait_for(events.OrderModified, order_id=order["id"])
    await bus.publish(events.ClientAnonymised(client_id=client.id, kind="private", last_name="Anonyme"),
                      client.id, 5, producer="clients")

    async def erased():
        found = (await orders.get(f"/orders/{order['id']}")).json()
        return found["participants"][0]["last_name"] == "Anonyme"

    await eventually(erased)
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=order["departure_id"], places=2,
                                           order_version=proposed.aggregate_version), order["id"], 2)

    async def applied():
        found = (await orders.get(f"/orders/{order['id']}")).json()
        return found if len(found["participants"]) == 2 else None

    found = await eventually(applied)
    assert {(p["last_name"], p["first_name"], p["birth_date"]) for p in found["participants"]} == {
        ("Anonyme", "Anonyme", None)}
    assert all("Enfant" not in line["label"] for line in found["lines"])


async def test_an_order_is_read_from_one_snapshot_so_a_change_committed_meanwhile_shows_whole_or_not_at_all(
        orders, directory, bus: BusSpy, orders_db):
    """The erasure is one transaction, but an order is read in several statements: one committed between the
    order's row and its participants showed them anonymised and the client's words still there."""
    order = await optioned(orders, directory, bus)
    await orders.put(f"/orders/{order['id']}/additional-information", json={"text": "Peur du noir"})
    pending = [order["id"]]

    def erase_meanwhile(connection, cursor, statement, parameters, context, executemany):
        if pending and "FROM order_participants" in statement:
            order_id = pending.pop()
            with psycopg.connect(orders_db.replace("postgresql+asyncpg://", "postgresql://")) as erasure:
                erasure.execute("UPDATE orders SET additional_information = NULL WHERE id = %s", (order_id,))
                erasure.execute("UPDATE order_participants SET last_name = 'Anonyme' WHERE order_id = %s", (order_id,))

    event.listen(Engine, "before_cursor_execute", erase_meanwhile)
    try:
        during = (await orders.get(f"/orders/{order['id']}")).json()
    finally:
        event.remove(Engine, "before_cursor_execute", erase_meanwhile)
    assert not pending  # the erasure was committed while the order was being read
    assert (during["additional_information"], during["participants"][0]["last_name"]) == ("Peur du noir", "Martin")
    after = (await orders.get(f"/orders/{order['id']}")).json()
    assert (after["additional_information"], after["participants"][0]["last_name"]) == (None, "Anonyme")
