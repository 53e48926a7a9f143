"""Stay rules, departure status and changes, add-on products, through the API and the bus."""
import uuid
from decimal import Decimal

from shared import events
from shared.testing import BusSpy


async def make_departure(stock, capacity=10, stay_id=None, start="2027-07-10", end="2027-07-24"):
    if stay_id is None:
        stay_id = (await stock.post("/stays", json={"title": "Aventure en Ardèche"})).json()["id"]
    response = await stock.post(f"/stays/{stay_id}/departures", json={
        "start_date": start, "end_date": end, "capacity": capacity, "base_price": "850.00"})
    assert response.status_code == 201, response.text
    return response.json()


def order_event(cls, departure_id, order_id, status, places=1, **extra):
    if cls is events.OrderCancelled:
        extra.setdefault("cancelled_by", "client")
    return cls(
        order_id=order_id, reference="C-1", client_id=uuid.uuid4(), departure_id=departure_id, status=status,
        places=places, participant_ids=[uuid.uuid4() for _ in range(places)], total=Decimal("850.00"),
        amount_paid=Decimal("0.00"), invoiced=False, **extra,
    )


async def test_a_stay_carries_what_orders_reads(stock):
    response = await stock.post("/stays", json={
        "title": "Aventure en Ardèche", "min_age": 8, "max_age": 12,
        "required_documents": [{"code": "health_form", "label": "Fiche sanitaire"},
                               {"code": "swim_test", "label": "Test d'aisance aquatique"}],
        "cancellation_fees": [{"days_before": 8, "percent": "50"}, {"days_before": 30, "percent": "25"},
                              {"days_before": 2, "percent": "100"}]})
    assert response.status_code == 201, response.text
    stay = (await stock.get(f"/stays/{response.json()['id']}")).json()
    assert (stay["min_age"], stay["max_age"]) == (8, 12)
    assert [d["code"] for d in stay["required_documents"]] == ["health_form", "swim_test"]
    assert stay["cancellation_fees"] == [{"days_before": 30, "percent": "25.00"},
                                         {"days_before": 8, "percent": "50.00"},
                                         {"days_before": 2, "percent": "100.00"}]
    assert stay["organiser_id"]

    changed = await stock.patch(f"/stays/{stay['id']}", json={"max_age": 14, "cancellation_fees": []})
    assert changed.status_code == 200 and changed.json()["max_age"] == 14 and changed.json()["cancellation_fees"] == []
    assert changed.json()["required_documents"] == stay["required_documents"]


async def test_stay_rules_are_validated(stock):
    inverted = await stock.post("/stays", json={"title": "X", "min_age": 12, "max_age": 8})
    assert inverted.status_code == 409 and inverted.json()["code"] == "ages_inverted"
    cheaper = await stock.post("/stays", json={"title": "X", "cancellation_fees": [
        {"days_before": 30, "percent": "80"}, {"days_before": 5, "percent": "10"}]})
    assert cheaper.status_code == 409 and cheaper.json()["code"] == "fees_decrease_near_departure"
    twice = await stock.post("/stays", json={"title": "X", "required_documents": [
        {"code": "health_form", "label": "A"}, {"code": "health_form", "label": "B"}]})
    assert twice.status_code == 409 and twice.json()["code"] == "duplicate_document"
    for bad in ({"percent": "120", "days_before": 3}, {"percent": "10", "days_before": -1}):
        assert (await stock.post("/stays", json={"title": "X", "cancellation_fees": [bad]})).status_code == 422
    assert (await stock.post("/stays", json={"title": "X", "organiser_id": str(uuid.uuid4())})).status_code == 404
    stay = (await stock.post("/stays", json={"title": "X"})).json()
    assert (await stock.patch(f"/stays/{stay['id']}", json={"title": None})).status_code == 422
    assert (await stock.patch(f"/stays/{uuid.uuid4()}", json={"title": "Y"})).status_code == 404


async def test_capacity_never_goes_below_the_places_taken(stock, bus: BusSpy):
    departure = await make_departure(stock, capacity=5)
    order_id = uuid.uuid4()
    await bus.publish(order_event(events.OrderPlaced, departure["id"], order_id, "pending", places=3), order_id, 1)
    await bus.wait_for(events.HoldConfirmed, order_id=order_id)
    url = f"/departures/{departure['id']}"
    below = await stock.patch(url, json={"capacity": 2})
    assert below.status_code == 409 and below.json()["code"] == "capacity_below_taken"
    full = await stock.patch(url, json={"capacity": 3})
    assert full.status_code == 200 and full.json()["stock"]["free"] == 0
    await bus.wait_for(events.DepartureFull, departure_id=departure["id"])
    assert (await stock.patch(url, json={"end_date": "2027-07-01"})).status_code == 409
    assert (await stock.patch(url, json={"base_price": "-3"})).status_code == 422


async def test_a_closed_departure_refuses_holds_and_reopening_is_announced(stock, bus: BusSpy):
    departure = await make_departure(stock, capacity=5)
    url = f"/departures/{departure['id']}"
    closed = await stock.patch(url, json={"status": "closed"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    changed = await bus.wait_for(events.DepartureChanged, departure_id=departure["id"])
    assert changed.data["status"] == "closed"
    order_id = uuid.uuid4()
    await bus.publish(order_event(events.OrderPlaced, departure["id"], order_id, "pending"), order_id, 1)
    rejected = await bus.wait_for(events.HoldRejected, order_id=order_id)
    assert rejected.data["reason"] == "Départ fermé à la vente." and rejected.data["order_version"] == 1
    assert (await stock.get(url)).json()["stock"]["free"] == 5

    await stock.patch(url, json={"status": "open"})
    reopened = await bus.wait_for(events.DepartureReopened, departure_id=departure["id"])
    assert reopened.data["status"] == "open" and reopened.data["stock"]["free"] == 5


async def test_cancelling_on_a_full_departure_reopens_it(stock, bus: BusSpy):
    departure = await make_departure(stock, capacity=2)
    order_id = uuid.uuid4()
    await bus.publish(order_event(events.OrderPlaced, departure["id"], order_id, "pending", places=2), order_id, 1)
    await bus.wait_for(events.DepartureFull, departure_id=departure["id"])
    await bus.publish(order_event(events.OrderArchived, departure["id"], order_id, "archived", places=2), order_id, 2)
    reopened = await bus.wait_for(events.DepartureReopened, departure_id=departure["id"])
    assert reopened.data["stock"]["free"] == 2


async def test_add_ons_of_the_stay_and_departure_are_priced_when_asked(stock):
    departure = await make_departure(stock)
    other = await make_departure(stock)
    fees = (await stock.post(f"/stays/{departure['stay_id']}/add-ons",
                             json={"label": "Frais de dossier", "price": "25", "mandatory": True})).json()
    insurance = (await stock.post(f"/departures/{departure['id']}/add-ons",
                                  json={"label": "Assurance annulation", "price": "32.50"})).json()
    foreign = (await stock.post(f"/departures/{other['id']}/add-ons",
                                json={"label": "Ailleurs", "price": "1"})).json()
    assert (await stock.post(f"/departures/{departure['id']}/add-ons",
                             json={"label": "Gratuit?", "price": "-1"})).status_code == 422
    listed = (await stock.get(f"/departures/{departure['id']}/add-ons")).json()["items"]
    assert {a["label"] for a in listed} == {"Frais de dossier", "Assurance annulation"}

    url = f"/departures/{departure['id']}/pricing"
    plain = (await stock.get(url)).json()
    assert plain["add_ons"] == [] and plain["total"] == "850.00"
    mandatory = (await stock.get(url, params={"with_add_ons": "true"})).json()
    assert [a["id"] for a in mandatory["add_ons"]] == [fees["id"]] and mandatory["total"] == "875.00"
    chosen = (await stock.get(url, params={"add_ons": [insurance["id"]]})).json()
    assert [a["label"] for a in chosen["add_ons"]] == ["Frais de dossier", "Assurance annulation"]
    assert chosen["total"] == "907.50"
    assert (await stock.get(url, params={"add_ons": [foreign["id"]]})).status_code == 404
    assert (await stock.delete(f"/add-ons/{insurance['id']}")).status_code == 204
    assert (await stock.get(url, params={"add_ons": [insurance["id"]]})).status_code == 404


async def test_the_return_city_variation_comes_from_the_master_entity(stock):
    departure = await make_departure(stock)
    organiser_id = (await stock.get(f"/stays/{departure['stay_id']}")).json()["organiser_id"]
    await stock.patch(f"/organisers/{organiser_id}/settings", json={"return_city_variation_percent": "50"})
    lyon = (await stock.post(f"/departures/{departure['id']}/cities", json={"city": "Lyon", "fare": "50"})).json()
    toulouse = (await stock.post(f"/departures/{departure['id']}/cities", json={"city": "Toulouse", "fare": "20"})
                ).json()
    priced = (await stock.get(f"/departures/{departure['id']}/pricing",
                              params={"outbound_city": lyon["id"], "return_city": toulouse["id"]})).json()
    assert priced["transport_fare"] == "52.50"
