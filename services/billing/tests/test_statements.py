"""A client's statement of account and the aged balance: the rules without I/O, then through the API with payments
from orders' events, on real PostgreSQL and RabbitMQ."""
import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import REGISTRY
from pypdf import PdfReader

from billing.domain.statements import Entry, EntryKind, aged, bucket_of, statement
from shared import events
from shared.testing import BusSpy, auth, eventually

ORDER, SERVICE = uuid.uuid4(), uuid.uuid4()
D = Decimal


def entry(on: date, kind: EntryKind, amount: str, item: uuid.UUID = ORDER) -> Entry:
    debit = kind == EntryKind.INVOICE
    return Entry(on, kind, f"{kind.value}-{on.isoformat()}", kind.value, item,
                 debit=D(amount) if debit else D("0.00"), credit=D("0.00") if debit else D(amount))


ACCOUNT = [
    entry(date(2026, 1, 10), EntryKind.PAYMENT, "300.00"),  # the deposit, before the invoice
    entry(date(2026, 1, 20), EntryKind.INVOICE, "1000.00"),
    entry(date(2026, 3, 1), EntryKind.PAYMENT, "700.00"),
    entry(date(2026, 2, 1), EntryKind.INVOICE, "60.00", SERVICE),
]


def test_the_statement_at_a_date_runs_its_balance_and_can_hide_what_is_settled():
    shown, balance = statement(ACCOUNT, date(2026, 2, 15), hide_settled=False)
    assert [(e.kind, e.balance) for e in shown] == [
        (EntryKind.PAYMENT, D("-300.00")), (EntryKind.INVOICE, D("700.00")), (EntryKind.INVOICE, D("760.00"))]
    assert balance == D("760.00")
    shown, balance = statement(ACCOUNT, date(2026, 3, 31), hide_settled=True)
    assert [(e.kind, e.debit, e.balance) for e in shown] == [(EntryKind.INVOICE, D("60.00"), D("60.00"))]
    assert balance == D("60.00"), "hiding settled items never changes what is due"


def test_payments_pay_the_oldest_invoices_first_and_what_is_left_is_aged():
    assert aged(ACCOUNT, date(2026, 2, 15)) == {"not_due": D("0.00"), "1_30": D("760.00"), "31_60": D("0.00"),
                                                "61_90": D("0.00"), "over_90": D("0.00")}
    assert aged(ACCOUNT, date(2026, 5, 20))["61_90"] == D("0.00")
    assert aged(ACCOUNT, date(2026, 5, 20))["over_90"] == D("60.00")
    assert [bucket_of(days) for days in (0, 1, 30, 31, 60, 61, 90, 91)] == [
        "not_due", "1_30", "1_30", "31_60", "31_60", "61_90", "61_90", "over_90"]


amounts = st.integers(1, 100_000).map(lambda cents: D(cents) / 100)


@given(st.lists(st.tuples(st.integers(0, 200), st.sampled_from(list(EntryKind)), amounts), max_size=30),
       st.integers(0, 250))
def test_the_aged_buckets_sum_to_what_is_due_when_something_is(moves, at_day):
    start = date(2026, 1, 1)
    entries = [entry(start + timedelta(days=day), kind, str(amount)) for day, kind, amount in moves]
    at = start + timedelta(days=at_day)
    _, balance = statement(entries, at, hide_settled=False)
    assert sum(aged(entries, at).values()) == max(balance, D("0.00"))
    assert statement(entries, at, hide_settled=True)[1] == balance


async def test_a_statement_at_a_date_with_payments_from_orders_and_the_aged_balance(billing, bus: BusSpy, invoicing):
    request = invoicing()
    client_id = request.buyer.client_id
    await bus.publish(request, request.order_id, 1)
    issued = await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)
    payment = events.PaymentRecorded(order_id=request.order_id, client_id=client_id, payment_id=uuid.uuid4(),
                                     amount=D("500.00"), method="cheque", amount_paid=D("500.00"),
                                     balance=D("1391.00"))
    await bus.publish(payment, request.order_id, 2)
    service = (await billing.post("/invoices", json={"buyer": {"client_id": str(client_id), "name": "Mme Martin"},
                                                     "lines": [{"label": "Adhésion", "unit_price": "15.00"}]})).json()
    url = f"/account-statements/{client_id}"

    async def paid() -> bool:
        return len((await billing.get(url)).json()["entries"]) == 3

    await eventually(paid)
    today = (await billing.get(url)).json()
    assert [(e["kind"], e["debit"], e["credit"], e["balance"]) for e in today["entries"]] == [
        ("invoice", "1891.00", "0.00", "1891.00"), ("invoice", "15.00", "0.00", "1906.00"),
        ("payment", "0.00", "500.00", "1406.00")]
    assert today["entries"][0]["label"] == f"Facture {issued.data['reference']} – commande C2026-00042"
    assert today["entries"][2]["label"] == "Règlement (chèque)"
    assert today["balance"] == "1406.00" and today["aged"]["not_due"] == "1406.00"

    day_before = date.fromisoformat(today["at"]) - timedelta(days=1)
    yesterday = (await billing.get(url, params={"at": day_before.isoformat()})).json()
    assert yesterday["entries"] == [] and yesterday["balance"] == "0.00"
    await billing.post(f"/invoices/{service['id']}/credit-notes", json={"reason": "Adhésion offerte",
                                                                        "amount": "15.00"})
    hidden = (await billing.get(url, params={"hide_settled": "true"})).json()
    assert [e["reference"] for e in hidden["entries"]] == [issued.data["reference"], today["entries"][2]["reference"]]

    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(
        (await billing.get(f"{url}/pdf")).content)).pages).replace("\u202f", " ").split())
    for printed in ("RELEVÉ DE COMPTE", "Mme Martin", "Règlement (chèque)", "Avoir", "Solde dû", "1 391,00 €"):
        assert printed in text, printed

    aged_list = (await billing.get("/aged-balance", headers=auth("accountant"))).json()["items"]
    assert [(a["client_id"], a["total"], a["not_due"]) for a in aged_list] == [(str(client_id), "1391.00",
                                                                                "1391.00")]
    in_45_days = date.fromisoformat(today["at"]) + timedelta(days=45)
    later = (await billing.get("/aged-balance", params={"at": in_45_days.isoformat()})).json()["items"][0]
    assert later["days_31_60"] == "1391.00" and later["name"] == "Mme Martin"

    assert (await billing.get(url, headers=auth("client", client_id=str(client_id)))).status_code == 200
    assert (await billing.get(url, headers=auth("client", client_id=str(uuid.uuid4())))).status_code == 404
    assert (await billing.get("/aged-balance", headers=auth("client", client_id=str(client_id)))).status_code == 403
    assert (await billing.get("/aged-balance", params={"cursor": "nope"})).status_code == 422


async def test_a_deleted_payment_leaves_the_statement_and_a_late_event_does_not_bring_it_back(billing, bus, invoicing):
    request = invoicing()
    client_id, payment_id = request.buyer.client_id, uuid.uuid4()
    deleted = events.PaymentCorrected(order_id=request.order_id, client_id=client_id, payment_id=payment_id,
                                      deleted=True, amount=D("200.00"), amount_paid=D("0.00"), balance=D("0.00"),
                                      pending_collection=D("0.00"))
    await bus.publish(deleted, request.order_id, 3)
    late = events.PaymentRecorded(order_id=request.order_id, client_id=client_id, payment_id=payment_id,
                                  amount=D("200.00"), method="card", amount_paid=D("200.00"), balance=D("0.00"))
    before = handled(events.PaymentRecorded)
    await bus.publish(late, request.order_id, 2)
    await bus.publish(request, request.order_id, 1)
    await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)
    await eventually(lambda: _at_least(handled(events.PaymentRecorded), before + 1))
    statement_now = (await billing.get(f"/account-statements/{client_id}")).json()
    assert [e["kind"] for e in statement_now["entries"]] == ["invoice"] and statement_now["balance"] == "1891.00"


def handled(event: type[events.Event]) -> float:
    labels = {"service": "billing", "event_type": event.TYPE, "outcome": "ok"}
    return REGISTRY.get_sample_value("colo_events_handled_total", labels) or 0.0


async def _at_least(value: float, floor: float) -> bool:
    return value >= floor
