"""The order aggregate over random sequences of actions: every accepted action records one workflow line with the
status it left and one lifecycle event of that status; a refused one changes and records nothing."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from orders.domain.lifecycle import TRANSITIONS, Action, Status
from orders.domain.order import EVENT_OF_STATUS
from orders.tables import Order
from shared.problems import DomainError

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
ACTIONS = {
    "hold_confirmed": lambda order: order.hold_confirmed(NOW, 7, str),
    "hold_rejected": lambda order: order.hold_rejected("Plus de place"),
    "expire": lambda order: order.expire(NOW),
    "reinstate": lambda order: order.reinstate(NOW, 7, "operator", str),
    "archive": lambda order: order.archive("operator", "Archivée."),
    "give_up": lambda order: order.give_up("family", by_reseller=False),
    "validate": lambda order: order.validate("Règlement reçu.", "operator"),
    "cancel": lambda order: order.cancel("client", "Déménagement", "Annulation.", "operator"),
}
TABLE_ACTION = {"hold_confirmed": Action.HOLD, "hold_rejected": Action.REFUSE, "expire": Action.EXPIRE,
                "reinstate": Action.REINSTATE, "archive": Action.ARCHIVE, "give_up": Action.ARCHIVE,
                "validate": Action.VALIDATE, "cancel": Action.CANCEL}


def new_order() -> Order:
    return Order(id=uuid4(), reference="C000001", client_id=uuid4(), departure_id=uuid4(), total=Decimal("850.00"),
                 amount_paid=Decimal("0.00"), invoiced=False, reseller_id=None, status=Status.PENDING, version=0,
                 option_days=None, buyer={"name": "Mme MARTIN Claire"}, option_expires_at=None,
                 option_expired_at=None, refusal_reason=None)


@given(st.lists(st.sampled_from(sorted(ACTIONS)), max_size=12))
def test_accepted_actions_follow_the_table_and_record_one_line_and_one_event_each(names):
    order = new_order()
    expected = []
    for name in names:
        before = order.status
        after = TRANSITIONS[TABLE_ACTION[name]].get(Status(before))
        if name == "give_up" and before == Status.VALIDATED:
            after = None  # a validated order is cancelled by an operator only
        try:
            ACTIONS[name](order)
        except DomainError:
            assert after is None and order.status == before, f"{name} refused from {before} must change nothing"
            continue
        if name.startswith("hold_") and after is None:  # stock's late answer to an order no longer pending
            assert order.status == before
            continue
        assert after is not None, f"{name} accepted from {before}"
        assert order.status == after
        expected.append(after)
    recorded = order.take_recorded()
    assert [change.status for change in recorded] == expected
    assert all(change.logged and change.new_version for change in recorded)
    assert [type(change.event(order)) for change in recorded] == [EVENT_OF_STATUS[s] for s in expected]
    assert order.take_recorded() == [], "saved once"


def test_an_option_lasts_the_organiser_s_days_and_a_reinstated_one_forgets_its_expiry():
    order = new_order()
    order.option_days = 3
    order.hold_confirmed(NOW, 7, str)
    assert order.option_expires_at == NOW + timedelta(days=3)
    order.expire(NOW + timedelta(days=3))
    order.reinstate(NOW + timedelta(days=4), 7, "operator", lambda at: f"{at:%d/%m/%Y}")
    assert order.option_expired_at is None and order.option_expires_at == NOW + timedelta(days=7)
    assert order.recorded[-1].detail == "Option prolongée jusqu'au 08/03/2027."


def test_a_note_writes_a_line_and_announces_nothing():
    order = new_order()
    order.note("attendance", "Léa Martin présente sur le séjour.", "operator")
    (line,) = order.take_recorded()
    assert (line.action, line.status, line.event) == ("attendance", Status.PENDING, None)
