"""Reminders driven by the clock, under two replicas: each sent once, none when no longer true."""
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from prometheus_client import REGISTRY

from notifications.domain.reminders import Delays, OrderFacts, due
from notifications.tables import Contact, Departure, Order
from shared import events
from shared.clock import FrozenClock
from shared.testing import BusSpy, SmtpSink, eventually

from .test_emails import client_event, departure_event, logged, order_event

PARIS = ZoneInfo("Europe/Paris")
DELAYS = Delays(option_hours=48, balance_days=30, documents_days=21)
START = date(2027, 7, 10)


def facts(**changes) -> OrderFacts:
    values = dict(status="validated", total=Decimal("850.00"), amount_paid=Decimal("300.00"), settled=False,
                  option_expires_at=None, missing_documents=None, start_date=START)
    return OrderFacts(**{**values, **changes})


def test_each_reminder_is_due_in_its_window_only_while_it_is_still_true():
    deadline = datetime(2027, 6, 3, 16, 0, tzinfo=UTC)
    option = facts(status="option", option_expires_at=deadline)
    assert due(option, deadline - timedelta(hours=49), PARIS, DELAYS) == []
    assert due(option, deadline - timedelta(hours=47), PARIS, DELAYS) == [("option", deadline.isoformat())]
    assert due(option, deadline, PARIS, DELAYS) == []
    assert due(facts(status="validated", option_expires_at=deadline), deadline - timedelta(hours=1), PARIS,
               DELAYS) == []

    # 30 days before 10 July is 10 June, on the organiser's clock: 9 June 22:30 UTC is already 10 June in Paris.
    assert due(facts(), datetime(2027, 6, 9, 21, 30, tzinfo=UTC), PARIS, DELAYS) == []
    assert due(facts(), datetime(2027, 6, 9, 22, 30, tzinfo=UTC), PARIS, DELAYS) == [("balance", "2027-07-10")]
    assert due(facts(settled=True), datetime(2027, 6, 20, tzinfo=UTC), PARIS, DELAYS) == []
    assert due(facts(amount_paid=Decimal("850.00")), datetime(2027, 6, 20, tzinfo=UTC), PARIS, DELAYS) == []
    assert due(facts(), datetime(2027, 7, 10, 8, tzinfo=UTC), PARIS, DELAYS) == []

    late = datetime(2027, 6, 25, tzinfo=UTC)
    missing = facts(amount_paid=Decimal("850.00"), missing_documents=["Fiche sanitaire"])
    assert due(missing, late, PARIS, DELAYS) == [("documents", "2027-07-10")]
    assert due(facts(amount_paid=Decimal("850.00"), missing_documents=[]), late, PARIS, DELAYS) == []
    assert due(missing, datetime(2027, 6, 15, tzinfo=UTC), PARIS, DELAYS) == []


def reminder_rounds() -> float:
    return REGISTRY.get_sample_value("colo_job_runs_total", {
        "service": "notifications", "job": "send_reminders", "outcome": "ok"}) or 0.0


async def test_two_replicas_send_each_reminder_once_when_the_clock_reaches_it(
    start_notifications, smtp: SmtpSink, bus: BusSpy, projections
):
    clock = FrozenClock(datetime(2027, 6, 1, 10, 0, tzinfo=UTC))
    async with start_notifications(smtp.port, clock=clock, replicas=2) as api:
        departure_id = uuid.uuid4()
        await bus.publish(departure_event(departure_id), departure_id, 1)
        await projections(Departure, departure_id)
        family = {}
        for name in ("option", "unpaid", "settled", "incomplete"):
            client_id = uuid.uuid4()
            await bus.publish(client_event(client_id, f"{name}@example.fr"), client_id, 1)
            await projections(Contact, client_id)
            family[name] = client_id

        deadline = datetime(2027, 6, 2, 16, 0, tzinfo=UTC)
        optioned = uuid.uuid4()
        await bus.publish(order_event(events.OrderOptioned, family["option"], departure_id, optioned, "option",
                                      option_expires_at=deadline), optioned, 2)
        orders = {}
        for name in ("unpaid", "settled", "incomplete"):
            orders[name] = uuid.uuid4()
            validated = order_event(events.OrderValidated, family[name], departure_id, orders[name], "validated")
            await bus.publish(validated.model_copy(update={"amount_paid": Decimal("300.00")}), orders[name], 2)
            await projections(Order, orders[name])
        await bus.publish(events.OrderSettled(
            order_id=orders["settled"], reference="C-2027-0042", client_id=family["settled"], settled=True,
            total=Decimal("850.00"), amount_paid=Decimal("850.00"), balance=Decimal("0.00"),
            pending_collection=Decimal("0.00")), orders["settled"], 3)
        await bus.publish(events.FileCompleted(order_id=orders["incomplete"], reference="C-2027-0042",
                                               client_id=family["incomplete"], complete=False,
                                               missing_documents=["Fiche sanitaire"]), orders["incomplete"], 3)

        option_reminder = (await smtp.wait_for("option@example.fr")) and await logged(
            api, order_id=str(optioned), template="option_reminder", status="sent")
        assert len(option_reminder) == 1
        text = [r for r in smtp.to("option@example.fr") if "arrive à échéance" in r.message["Subject"]]
        assert "arrive à échéance le mercredi 2 juin 2027 à 18 h 00" in text[0].message.get_body(
            ("plain",)).get_content()

        clock.advance(timedelta(days=20))  # 21 June: 19 days before departure
        await logged(api, order_id=str(orders["unpaid"]), template="balance_reminder", status="sent")
        await logged(api, order_id=str(orders["incomplete"]), template="documents_reminder", status="sent")
        rounds = reminder_rounds()

        async def several_more_rounds():
            return reminder_rounds() >= rounds + 6 or None

        await eventually(several_more_rounds)
        sent = (await api.get("/emails", params={"limit": 200})).json()["items"]
        reminders = sorted((e["order_id"], e["template"]) for e in sent if e["template"].endswith("_reminder"))
        assert reminders == sorted([
            (str(optioned), "option_reminder"), (str(orders["unpaid"]), "balance_reminder"),
            (str(orders["incomplete"]), "balance_reminder"), (str(orders["incomplete"]), "documents_reminder")])
        balance = next(r.message for r in smtp.to("unpaid@example.fr") if "Solde" in r.message["Subject"])
        assert "Reste à régler : 550,00 €" in balance.get_body(("plain",)).get_content()
