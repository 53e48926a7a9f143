"""The FEC of a fiscal year, checked against the rules of article A47 A-1 of the Livre des procédures fiscales: its
name, its 18 columns in order, date and amount formats, every entry balanced and numbered in sequence; and the
same entries as CSV. On real PostgreSQL and RabbitMQ, with documents issued through the API and the bus."""
import csv
import io
import re
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

from billing.app import DEMO_ISSUER
from shared import events
from shared.testing import BusSpy, auth, eventually

YEAR = datetime.now(UTC).year
COLUMNS = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
           "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
           "ValidDate", "Montantdevise", "Idevise"]
AMOUNT = re.compile(r"^\d+,\d{2}$")


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def check_fec(rows: list[list[str]]) -> dict[str, list[dict[str, str]]]:
    """The rules a tax auditor's tool checks; the entries by number."""
    assert rows[0] == COLUMNS
    by_number: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows[1:]:
        assert len(row) == 18, row
        line = dict(zip(COLUMNS, row, strict=True))
        for column in ("EcritureDate", "PieceDate", "ValidDate"):
            date(int(line[column][:4]), int(line[column][4:6]), int(line[column][6:]))
            assert len(line[column]) == 8
        assert AMOUNT.match(line["Debit"]) and AMOUNT.match(line["Credit"]), line
        assert (amount(line["Debit"]) == 0) != (amount(line["Credit"]) == 0), "one side per line"
        for column in ("JournalCode", "JournalLib", "EcritureNum", "CompteNum", "CompteLib", "PieceRef",
                       "EcritureLib"):
            assert line[column], column
        by_number[line["EcritureNum"]].append(line)
    numbers = [int(n) for n in by_number]
    assert numbers == list(range(1, len(numbers) + 1)), "sequential entry numbers"
    dates = [lines[0]["EcritureDate"] for lines in by_number.values()]
    assert dates == sorted(dates), "numbers follow dates"
    for number, lines in by_number.items():
        assert len({(li["JournalCode"], li["EcritureDate"], li["PieceRef"]) for li in lines}) == 1, number
        assert sum(amount(li["Debit"]) for li in lines) == sum(amount(li["Credit"]) for li in lines), number
    return by_number


async def test_the_fec_of_a_fiscal_year_follows_the_rules_and_balances(billing, bus: BusSpy, invoicing):
    standard = {**DEMO_ISSUER.model_dump(mode="json"), "vat_regime": "standard", "operator_registration": "",
                "guarantor": "", "insurer": "", "fiscal_first_start": f"{YEAR}-01-01",
                "fiscal_first_end": f"{YEAR}-12-31", "is_master": True}
    issuer = (await billing.post("/issuers", json=standard, headers=auth("admin"))).json()
    request = invoicing()
    await bus.publish(request, request.order_id, 1)
    await bus.wait_for(events.InvoiceIssued, order_id=request.order_id)
    for payment, deferred in ((Decimal("500.00"), False), (Decimal("300.00"), True)):
        await bus.publish(events.PaymentRecorded(
            order_id=request.order_id, client_id=request.buyer.client_id, payment_id=uuid.uuid4(), amount=payment,
            method="cheque", amount_paid=payment, balance=Decimal("0.00"), deferred=deferred), request.order_id, 2)
    service = (await billing.post("/invoices", json={
        "buyer": {"client_id": str(uuid.uuid4()), "name": "CE\tAlpha", "vat_number": "DE136695976",
                  "intra_eu_professional": True},
        "lines": [{"label": "Transport", "unit_price": "120.00"},
                  {"label": "Livret", "unit_price": "10.55", "vat_rate": "5.50"}]})).json()
    await billing.post(f"/invoices/{service['id']}/credit-notes", json={"reason": "Livret", "lines": [
        {"index": 1, "quantity": 1}]})
    statement_url = f"/account-statements/{request.buyer.client_id}"

    async def both_payments() -> bool:
        return len((await billing.get(statement_url)).json()["entries"]) == 3

    await eventually(both_payments)

    url = f"/issuers/{issuer['id']}/fiscal-years/{YEAR}-01-01"
    response = await billing.get(f"{url}/fec", headers=auth("accountant"))
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="900000001FEC{YEAR}1231.txt"'
    rows = [line.split("\t") for line in response.content.decode().split("\r\n") if line]
    entries = check_fec(rows)
    assert len(entries) == 5, "two invoices, a credit note, two payments"
    debit = sum(amount(r[11]) for r in rows[1:])
    assert debit == sum(amount(r[12]) for r in rows[1:])

    accounts = {(li["CompteNum"], li["Debit"], li["Credit"]) for lines in entries.values() for li in lines}
    assert {("411000", "1891,00", "0,00"), ("706200", "0,00", "1575,84"), ("445710", "0,00", "315,16")} <= accounts
    assert {("706200", "0,00", "100,00"), ("706055", "0,00", "10,00"), ("411000", "110,00", "0,00")} <= accounts, \
        "reverse charge: sales excluding tax, no VAT collected"
    assert {("706055", "10,00", "0,00"), ("411000", "0,00", "10,00")} <= accounts, "the credit note reversed"
    assert {("512000", "500,00", "0,00"), ("467000", "300,00", "0,00")} <= accounts
    customer = [li for lines in entries.values() for li in lines if li["CompteNum"] == "411000"]
    assert all(li["CompAuxNum"].startswith("C") and li["CompAuxLib"] for li in customer)
    assert any(li["CompAuxLib"] == "CE Alpha" for li in customer), "no tab inside a field"

    exported = await billing.get(f"{url}/entries.csv", headers=auth("admin"))
    assert exported.headers["content-disposition"] == f'attachment; filename="900000001FEC{YEAR}1231.csv"'
    assert list(csv.reader(io.StringIO(exported.content.decode()), delimiter=";")) == rows

    assert (await billing.get(f"{url}/fec", headers=auth("operator"))).status_code == 403
    refused = await billing.get(f"/issuers/{issuer['id']}/fiscal-years/{YEAR}-02-01/fec", headers=auth("admin"))
    assert refused.status_code == 409 and refused.json()["code"] == "not_a_fiscal_year"
    empty = await billing.get(f"/issuers/{issuer['id']}/fiscal-years/{YEAR + 1}-01-01/fec", headers=auth("admin"))
    assert empty.content.decode().split("\r\n")[0].split("\t") == COLUMNS
