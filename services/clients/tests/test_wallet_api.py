"""The wallet: a ledger whose balance is the sum of its entries; orders' cashback debits it once per order."""
import uuid
from decimal import Decimal

import pytest

from clients.domain.wallet import Entry, debit_entry, same_entry
from shared import events
from shared.problems import DomainError
from shared.testing import BusSpy, auth, eventually


def test_a_debit_is_refused_beyond_the_balance_and_a_reference_names_one_entry():
    assert debit_entry(Decimal("20.00"), Decimal("20.00"), "r").amount == Decimal("-20.00")
    with pytest.raises(DomainError) as refused:
        debit_entry(Decimal("20.00"), Decimal("20.01"), "r")
    assert refused.value.code == "wallet_insufficient"
    first = Entry("cashback", Decimal("5.00"), "r")
    assert same_entry(first, Entry("cashback", Decimal("5.00"), "r")) == first
    with pytest.raises(DomainError):
        same_entry(first, Entry("cashback", Decimal("6.00"), "r"))


async def new_client(clients):
    return (await clients.post("/clients", json={"kind": "private", "last_name": "Martin"})).json()


async def test_credits_and_debits_make_the_balance_and_retries_record_once(clients):
    client = await new_client(clients)
    url = f"/clients/{client['id']}/wallet"
    cashback = await clients.post(f"{url}/credits", json={"source": "cashback", "amount": "15.50",
                                                          "reference": "cb-2027-1", "label": "Cashback été"})
    assert cashback.status_code == 201, cashback.text
    assert cashback.json()["balance"] == "15.50"
    again = await clients.post(f"{url}/credits", json={"source": "cashback", "amount": "15.50",
                                                       "reference": "cb-2027-1"})
    assert again.json()["entry"]["id"] == cashback.json()["entry"]["id"] and again.json()["balance"] == "15.50"
    reused = await clients.post(f"{url}/credits", json={"source": "referral", "amount": "10",
                                                        "reference": "cb-2027-1"})
    assert reused.status_code == 409 and reused.json()["code"] == "wallet_reference_reused"
    await clients.post(f"{url}/credits", json={"source": "referral", "amount": "10", "reference": "parrain-1"})

    too_much = await clients.post(f"{url}/debits", json={"amount": "25.51", "reference": "o-1"})
    assert too_much.status_code == 409 and too_much.json()["code"] == "wallet_insufficient"
    used = await clients.post(f"{url}/debits", json={"amount": "20", "reference": "o-1"})
    assert used.status_code == 201 and used.json()["balance"] == "5.50"
    assert used.json()["entry"]["amount"] == "-20.00" and used.json()["entry"]["recorded_by"] == "operator@test"

    wallet = (await clients.get(url, params={"limit": 2}, headers=auth("service"))).json()
    assert (wallet["client_id"], wallet["balance"]) == (client["id"], "5.50")
    assert [e["amount"] for e in wallet["entries"]] == ["15.50", "10.00"]
    rest = (await clients.get(f"{url}/entries", params={"cursor": wallet["next_cursor"]})).json()
    assert [e["amount"] for e in rest["items"]] == ["-20.00"] and rest["next_cursor"] is None


async def test_bad_amounts_are_422_a_blocked_client_has_no_new_entries_and_unknown_is_404(clients):
    client = await new_client(clients)
    url = f"/clients/{client['id']}/wallet"
    bad = await clients.post(f"{url}/credits", json={"source": "gift", "amount": "-1", "reference": ""})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"body.source", "body.amount", "body.reference"}
    assert (await clients.post(f"{url}/debits", json={"amount": "1.001", "reference": "x"})).status_code == 422
    await clients.patch(f"/clients/{client['id']}", json={"blocked": True})
    blocked = await clients.post(f"{url}/credits", json={"source": "cashback", "amount": "5", "reference": "b"})
    assert blocked.status_code == 409 and blocked.json()["code"] == "client_blocked"
    assert (await clients.get(f"/clients/{uuid.uuid4()}/wallet")).status_code == 404
    assert (await clients.post(f"{url}/credits", json={"source": "cashback", "amount": "5", "reference": "c"},
                               headers=auth("accountant"))).status_code == 403


async def test_cashback_used_on_an_order_is_debited_once_even_when_delivered_twice(clients, bus: BusSpy):
    client = await new_client(clients)
    url = f"/clients/{client['id']}/wallet"
    await clients.post(f"{url}/credits", json={"source": "cashback", "amount": "30", "reference": "cb"})
    order_id = uuid.uuid4()
    used = events.CashbackUsed(order_id=order_id, client_id=uuid.UUID(client["id"]), amount=Decimal("12.00"))
    await bus.publish(used, order_id, 2)
    await bus.publish(used, order_id, 3)  # a second delivery, as another event of the same order

    async def debited():
        wallet = (await clients.get(url)).json()
        return wallet if len(wallet["entries"]) == 2 else None

    wallet = await eventually(debited)
    assert wallet["balance"] == "18.00"
    assert wallet["entries"][1]["order_id"] == str(order_id) and wallet["entries"][1]["source"] == "order"

    overdrawn = uuid.uuid4()
    await bus.publish(events.CashbackUsed(order_id=overdrawn, client_id=uuid.UUID(client["id"]),
                                          amount=Decimal("20.00")), overdrawn, 2)

    async def recorded_anyway():
        wallet = (await clients.get(url)).json()
        return wallet if len(wallet["entries"]) == 3 else None

    assert (await eventually(recorded_anyway))["balance"] == "-2.00"
