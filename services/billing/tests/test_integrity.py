"""The hash chain of issued documents, on real PostgreSQL: it holds after documents are issued, and a row changed
behind the immutability trigger's back is named by the admin endpoint and by the ops command."""
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from billing.verify import verify
from shared import events
from shared.testing import BusSpy, auth

AUDITOR = auth("accountant")


async def test_the_chain_holds_and_a_changed_row_is_named(billing, billing_db, bus: BusSpy, invoicing):
    buyer = {"client_id": str(uuid.uuid4()), "name": "Mme Martin"}
    invoices = [(await billing.post("/invoices", json={"buyer": buyer, "lines": [
        {"label": f"Service {n}", "unit_price": "10.00"}]})).json() for n in range(3)]
    request = invoicing()
    await bus.publish(request, request.order_id, 1)
    await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)
    await bus.publish(events.UninvoicingRequested(order_id=request.order_id, client_id=request.buyer.client_id,
                                                  reason="x"), request.order_id, 2)
    await bus.wait_for(events.CreditNoteIssued, order_id=request.order_id)
    assert all(len(i["reference"]) == 11 for i in invoices)

    holds = (await billing.get("/integrity", headers=AUDITOR)).json()
    assert holds == {"checked": 5, "holds": True, "first_broken": None}
    assert await verify(billing_db) == (0, "5 documents: the chain holds")
    assert (await billing.get("/integrity", headers=auth("operator"))).status_code == 403

    engine = create_async_engine(billing_db)
    async with engine.begin() as connection:  # an intruder with the database's owner rights
        await connection.execute(text("ALTER TABLE invoices DISABLE TRIGGER invoices_immutable"))
        await connection.execute(text("UPDATE invoices SET total = 1.00 WHERE reference = :r"),
                                 {"r": invoices[1]["reference"]})
        await connection.execute(text("ALTER TABLE invoices ENABLE TRIGGER invoices_immutable"))
    await engine.dispose()
    broken = (await billing.get("/integrity", headers=AUDITOR)).json()
    assert broken["holds"] is False
    assert broken["first_broken"] == f"invoice {invoices[1]['reference']}: its content or the chain before it was " \
                                     "changed"
    status, line = await verify(billing_db)
    assert status == 1 and f"invoice {invoices[1]['reference']} breaks the chain" in line
