"""Reminders of unpaid balances: the rules without I/O, then the run through the API with a clock moved forward, on
real PostgreSQL and RabbitMQ."""
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from billing.app import DEMO_ISSUER, BillingSettings, create
from billing.domain.reminders import DEFAULT_LEVELS, Due, debt, level_due
from billing.domain.statements import Entry, EntryKind
from shared import events
from shared.clock import FrozenClock
from shared.testing import BusSpy, auth, eventually, running, service_settings

ORDER = uuid.uuid4()


def test_the_debt_is_named_by_its_oldest_unpaid_invoice_and_is_none_once_paid():
    entries = [Entry(date(2026, 1, 5), EntryKind.INVOICE, "F-1", "", ORDER, debit=Decimal("100.00")),
               Entry(date(2026, 2, 5), EntryKind.INVOICE, "F-2", "", ORDER, debit=Decimal("50.00")),
               Entry(date(2026, 2, 10), EntryKind.PAYMENT, "P", "", ORDER, credit=Decimal("100.00"))]
    assert debt(entries, date(2026, 1, 31)) == Due(Decimal("100.00"), "F-1", date(2026, 1, 5))
    assert debt(entries, date(2026, 3, 1)) == Due(Decimal("50.00"), "F-2", date(2026, 2, 5))
    paid = [*entries, Entry(date(2026, 3, 2), EntryKind.PAYMENT, "Q", "", ORDER, credit=Decimal("50.00"))]
    assert debt(paid, date(2026, 3, 5)) is None


def test_each_level_once_the_highest_reached_when_runs_were_missed():
    due = Due(Decimal("10.00"), "F-1", date(2026, 1, 1))
    assert level_due(DEFAULT_LEVELS, due, date(2026, 1, 15), None) is None
    assert level_due(DEFAULT_LEVELS, due, date(2026, 1, 16), None) == 0
    assert level_due(DEFAULT_LEVELS, due, date(2026, 1, 20), 0) is None
    assert level_due(DEFAULT_LEVELS, due, date(2026, 3, 1), 0) == 2, "the formal notice, not the firm one skipped"
    assert level_due(DEFAULT_LEVELS, due, date(2026, 6, 1), 2) is None


async def test_reminders_go_level_by_level_once_each_and_stop_when_the_balance_is_paid(
        billing, bus: BusSpy, invoicing, infra, billing_db):
    await billing.post("/issuers", json={**DEMO_ISSUER.model_dump(mode="json"), "is_master": True},
                       headers=auth("admin"))
    request = invoicing()
    client_id = request.buyer.client_id
    await bus.publish(request, request.order_id, 1)
    issued = await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)
    listed = f"/account-statements/{client_id}/reminders"
    clock = FrozenClock(datetime.now(UTC) + timedelta(days=16))
    async with running(create(service_settings(BillingSettings, infra, "billing", billing_db), clock)) as later:
        assert (await later.post("/reminders/run", headers=auth("operator"))).status_code == 403
        await later.post("/reminders/run", headers=auth("admin"))
        first = (await later.get(listed)).json()["items"]
        assert [(r["level"], r["kind"], r["balance"], r["invoice_reference"]) for r in first] == [
            (0, "friendly", "1891.00", issued.data["reference"])]
        assert first[0]["order_ids"] == [str(request.order_id)]
        sent = await bus.wait_for(events.ReminderSent, client_id=str(client_id))
        assert sent.data["statement_path"].startswith(f"/account-statements/{client_id}/pdf?at=")
        assert "solde de votre compte" in sent.data["text"]

        await later.post("/reminders/run", headers=auth("admin"))
        assert len((await later.get(listed)).json()["items"]) == 1, "each level once"

        clock.advance(timedelta(days=15))
        await later.post("/reminders/run", headers=auth("admin"))
        assert [r["kind"] for r in (await later.get(listed)).json()["items"]] == ["friendly", "firm"]

        await bus.publish(events.PaymentRecorded(
            order_id=request.order_id, client_id=client_id, payment_id=uuid.uuid4(), amount=Decimal("1891.00"),
            method="transfer", amount_paid=Decimal("1891.00"), balance=Decimal("0.00")), request.order_id, 2)

        async def paid() -> bool:
            return (await later.get(f"/account-statements/{client_id}")).json()["balance"] == "0.00"

        await eventually(paid)
        clock.advance(timedelta(days=30))
        await later.post("/reminders/run", headers=auth("admin"))
        assert [r["kind"] for r in (await later.get(listed)).json()["items"]] == ["friendly", "firm"], "paid: no formal notice"
    assert (await billing.get(listed, headers=auth("client", client_id=str(uuid.uuid4())))).status_code == 404
