"""Cancellation: the fees from the stay's schedule and the days left, the refund due, the event billing reads."""
import uuid
from datetime import date
from decimal import Decimal

from orders.domain.cancellation import FeeTier, by_client, by_organiser, days_before_departure, fee_percent
from orders.gateways import StayTerms
from shared import events
from shared.testing import BusSpy

from .test_orders_api import optioned

D = Decimal
SCHEDULE = [FeeTier(30, D("25.00")), FeeTier(15, D("50.00")), FeeTier(7, D("75.00")), FeeTier(0, D("100.00"))]


def test_the_fee_is_the_tier_with_the_smallest_days_before_still_covering_the_days_left():
    assert fee_percent(SCHEDULE, 45) == D("0.00")
    assert fee_percent(SCHEDULE, 30) == D("25.00")
    assert fee_percent(SCHEDULE, 20) == D("25.00")
    assert fee_percent(SCHEDULE, 15) == D("50.00")
    assert fee_percent(SCHEDULE, 3) == D("75.00")
    assert fee_percent(SCHEDULE, 0) == D("100.00")
    assert fee_percent([], 3) == D("0.00")


def test_client_cancellation_refunds_what_was_received_minus_the_fees():
    settlement = by_client(D("900.00"), D("500.00"), SCHEDULE, 20)
    assert (settlement.fees, settlement.refund_due, settlement.still_due) == (D("225.00"), D("275.00"), D("0.00"))
    short = by_client(D("900.00"), D("300.00"), SCHEDULE, 10)
    assert (short.fees, short.refund_due, short.still_due) == (D("450.00"), D("0.00"), D("150.00"))
    assert by_client(D("333.33"), D("0"), [FeeTier(60, D("33.33"))], 40).fees == D("111.10")


def test_organiser_cancellation_refunds_everything():
    settlement = by_organiser(D("900.00"), 3)
    assert (settlement.fees, settlement.refund_due) == (D("0.00"), D("900.00"))


def test_days_left_count_calendar_days():
    assert days_before_departure(date(2027, 6, 20), date(2027, 7, 10)) == 20


async def test_a_client_cancellation_charges_the_schedule_and_tells_billing(orders, directory, bus: BusSpy, clock):
    order = await optioned(orders, directory, bus)  # departs 2027-07-10; the clock says 2027-03-01: 131 days
    directory.terms[uuid.UUID(order["departure_id"])] = StayTerms(
        cancellation_fees=(FeeTier(150, D("10.00")), FeeTier(30, D("50.00"))))
    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "300.00", "method": "cheque"})
    quote = (await orders.get(f"/orders/{order['id']}/cancellation-quote?by=client")).json()
    assert quote == {"days_before_departure": 131, "fee_percent": "10.00", "fees": "85.00", "received": "300.00",
                     "refund_due": "215.00", "still_due": "0.00"}
    done = await orders.post(f"/orders/{order['id']}/cancellation", json={"by": "client", "reason": "Enfant malade"})
    assert done.status_code == 200, done.text
    assert done.json()["cancellation"]["fees"] == "85.00" and done.json()["refund_due"] == "215.00"
    event = await bus.wait_for(events.OrderCancelled, order_id=order["id"])
    assert (event.data["cancellation_fees"], event.data["refund_due"], event.data["fee_percent"]) == (
        "85.00", "215.00", "10.00")
    assert event.data["buyer"]["name"] == "Mme MARTIN Claire" and event.data["days_before_departure"] == 131
    log = (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"][-1]
    assert log["action"] == "cancelled" and "frais 85.00 €" in log["detail"]


async def test_an_organiser_cancellation_refunds_all_and_a_commitment_is_not_money_received(
        orders, directory, bus: BusSpy):
    order = await optioned(orders, directory, bus)
    caf = (await orders.post("/third-party-payers", json={"name": "CAF"})).json()
    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "200.00", "method": "card"})
    await orders.post(f"/orders/{order['id']}/payments", json={"amount": "100.00", "method": "third_party",
                                                               "third_party_payer_id": caf["id"]})
    done = await orders.post(f"/orders/{order['id']}/cancellation", json={"by": "organiser", "reason": "Séjour annulé"})
    assert done.json()["cancellation"] == {"days_before_departure": 131, "fee_percent": "0.00", "fees": "0.00",
                                           "received": "200.00", "refund_due": "200.00", "still_due": "0.00"}
    again = await orders.post(f"/orders/{order['id']}/cancellation", json={"by": "client", "reason": "x"})
    assert again.status_code == 409 and again.json()["code"] == "cannot_cancel"
    quote = await orders.get(f"/orders/{order['id']}/cancellation-quote")
    assert quote.status_code == 409
