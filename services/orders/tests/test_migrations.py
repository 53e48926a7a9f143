"""The order-lines revision gives orders placed before it their stay lines."""
import uuid

from alembic import command
from sqlalchemy import create_engine, text

from shared.migrations import alembic_config, create_database, drop_database, sync_url
from shared.testing import Infra


def test_orders_placed_before_the_breakdown_get_one_stay_line_per_participant(infra: Infra):
    url = infra.database_url(f"colo_{infra.namespace.rstrip('.')}_orders_backfill")
    drop_database(url)
    create_database(url)
    config = alembic_config("orders", url)
    command.upgrade(config, "582e5d143e6c")
    engine = create_engine(sync_url(url))
    order_id = uuid.uuid4()
    try:
        with engine.begin() as db:
            db.execute(text("""
                INSERT INTO orders (id, reference, client_id, buyer, departure_id, stay_title, start_date, end_date,
                    unit_price, total, amount_paid, status, version, invoiced, billing_version, created_at, updated_at)
                VALUES (:id, 'C000001', :id, '{}', :id, 'Aventure en Ardèche', '2027-07-10', '2027-07-24',
                    850, 1700, 0, 'option', 2, false, 0, now(), now())"""), {"id": order_id})
            for position, name in enumerate(("Léa", "Tom")):
                db.execute(text("""
                    INSERT INTO order_participants (order_id, participant_id, position, last_name, first_name)
                    VALUES (:order, :participant, :position, 'Martin', :name)"""),
                           {"order": order_id, "participant": uuid.uuid4(), "position": position, "name": name})
        command.upgrade(config, "head")
        with engine.connect() as db:
            lines = db.execute(text("SELECT kind, label, quantity, unit_price, amount FROM order_lines "
                                    "WHERE order_id = :id ORDER BY position"), {"id": order_id}).all()
    finally:
        engine.dispose()
        drop_database(url)
    assert [tuple(map(str, line)) for line in lines] == [
        ("stay", f"Séjour Aventure en Ardèche du 10/07/2027 au 24/07/2027 – {name} Martin", "1", "850.00", "850.00")
        for name in ("Léa", "Tom")]


def test_payments_recorded_before_are_received_and_orders_they_cover_are_settled(infra: Infra):
    url = infra.database_url(f"colo_{infra.namespace.rstrip('.')}_orders_payments_backfill")
    drop_database(url)
    create_database(url)
    config = alembic_config("orders", url)
    command.upgrade(config, "1f173d09a18b")
    engine = create_engine(sync_url(url))
    paid, partly = uuid.uuid4(), uuid.uuid4()
    try:
        with engine.begin() as db:
            for order_id, reference, amount in ((paid, "C000001", 850), (partly, "C000002", 300)):
                db.execute(text("""
                    INSERT INTO orders (id, reference, client_id, buyer, departure_id, stay_title, start_date, end_date,
                        unit_price, total, amount_paid, status, version, invoiced, billing_version, created_at,
                        updated_at)
                    VALUES (:id, :ref, :id, '{}', :id, 'Aventure', '2027-07-10', '2027-07-24', 850, 850, :amount,
                        'validated', 3, false, 0, now(), now())"""), {"id": order_id, "ref": reference, "amount": amount})
                db.execute(text("""
                    INSERT INTO payments (id, order_id, amount, method, note, received_at, recorded_by)
                    VALUES (:id, :order, :amount, 'cheque', '', '2027-02-28 23:30:00+00', 'ops')"""),
                           {"id": uuid.uuid4(), "order": order_id, "amount": amount})
        command.upgrade(config, "head")
        with engine.connect() as db:
            settled = dict(db.execute(text("SELECT reference, settled FROM orders")).all())
            payments = db.execute(text("SELECT DISTINCT collection, received_on::text, label FROM payments")).all()
    finally:
        engine.dispose()
        drop_database(url)
    assert settled == {"C000001": True, "C000002": False}
    assert [tuple(p) for p in payments] == [("received", "2027-03-01", "")]  # 23:30 UTC is 1 March in Paris


def test_orders_placed_with_a_percentage_code_keep_its_rate_for_their_modifications(infra: Infra):
    url = infra.database_url(f"colo_{infra.namespace.rstrip('.')}_orders_promo_backfill")
    drop_database(url)
    create_database(url)
    config = alembic_config("orders", url)
    command.upgrade(config, "7a1c3e9d5f20")
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as db:
            for reference, kind, value in (("C000001", "percent", 10), ("C000002", "amount", 50)):
                ids = {"order": uuid.uuid4(), "code": uuid.uuid4(), "ref": reference, "kind": kind, "value": value}
                db.execute(text("""
                    INSERT INTO promo_codes (id, code, kind, value, uses, created_at, updated_at)
                    VALUES (:code, :ref, :kind, :value, 1, now(), now())"""), ids)
                db.execute(text("""
                    INSERT INTO orders (id, reference, client_id, buyer, departure_id, stay_title, start_date, end_date,
                        unit_price, total, amount_paid, status, version, invoiced, billing_version, created_at,
                        updated_at)
                    VALUES (:order, :ref, :order, '{}', :order, 'Aventure', '2027-07-10', '2027-07-24', 850, 800, 0,
                        'option', 2, false, 0, now(), now())"""), ids)
                db.execute(text("""
                    INSERT INTO order_terms (order_id, client_disputed, group_order, promo_code_id, promo_code,
                        front_office_means, choices)
                    VALUES (:order, false, false, :code, :ref, '[]', '[]')"""), ids)
        command.upgrade(config, "head")
        with engine.connect() as db:
            rates = dict(db.execute(text("SELECT promo_code, promo_percent::text FROM order_terms")).all())
    finally:
        engine.dispose()
        drop_database(url)
    assert rates == {"C000001": "10.00", "C000002": None}


def test_an_order_whose_last_invoicing_line_is_a_request_waits_for_its_invoice(infra: Infra):
    url = infra.database_url(f"colo_{infra.namespace.rstrip('.')}_orders_invoicing_backfill")
    drop_database(url)
    create_database(url)
    config = alembic_config("orders", url)
    command.upgrade(config, "94f338238841")
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as db:
            for reference, invoiced, actions in (("C000001", False, ["invoicing_requested"]),
                                                 ("C000002", True, ["invoicing_requested", "invoiced"]),
                                                 ("C000003", False, ["invoicing_requested", "invoiced", "uninvoiced"]),
                                                 ("C000004", False, [])):
                order_id = uuid.uuid4()
                db.execute(text("""
                    INSERT INTO orders (id, reference, client_id, buyer, departure_id, stay_title, start_date, end_date,
                        unit_price, total, amount_paid, status, version, invoiced, billing_version, created_at,
                        updated_at)
                    VALUES (:id, :ref, :id, '{}', :id, 'Aventure', '2027-07-10', '2027-07-24', 850, 850, 850,
                        'validated', 3, :invoiced, 0, now(), now())"""),
                           {"id": order_id, "ref": reference, "invoiced": invoiced})
                for minute, action in enumerate(actions):
                    db.execute(text("""
                        INSERT INTO workflow_log (order_id, at, action, detail, actor, status)
                        VALUES (:id, :at, :action, '', 'ops', 'validated')"""),
                               {"id": order_id, "action": action, "at": f"2027-03-01 09:0{minute}:00+00"})
        command.upgrade(config, "head")
        with engine.connect() as db:
            waiting = dict(db.execute(text("SELECT reference, to_char(invoicing_requested_at AT TIME ZONE 'UTC', "
                                           "'YYYY-MM-DD HH24:MI') FROM orders")).all())
    finally:
        engine.dispose()
        drop_database(url)
    assert waiting == {"C000001": "2027-03-01 09:00", "C000002": None, "C000003": None, "C000004": None}
