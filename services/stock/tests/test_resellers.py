"""Resellers: assigned departures, their markup in prices, the nightly all-offers job, and places that leave
the producer's stock only when a reseller's customer's order is validated (seed 000)."""
import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import async_sessionmaker

from shared import events
from shared.clock import FrozenClock
from shared.db import make_engine
from shared.jobs import run_once
from shared.testing import BusSpy, auth, eventually
from stock.jobs import JOBS


async def make_stay(stock, *starts, capacity=10):
    stay = (await stock.post("/stays", json={"title": "Colonie des revendeurs"})).json()
    departures = []
    for start in starts:
        response = await stock.post(f"/stays/{stay['id']}/departures", json={
            "start_date": start, "end_date": start[:-2] + "28", "capacity": capacity, "base_price": "800.00"})
        assert response.status_code == 201, response.text
        departures.append(response.json())
    return stay, departures


async def make_reseller(bus, applied, markup="10", all_offers=False, kind="professional", name="Mairie de Bron"):
    """A client as clients announces it; stock learns its kind and terms from the event."""
    client_id = uuid.uuid4()
    await applied(await bus.publish(events.ClientCreated(
        client_id=client_id, kind=kind, company_name=name, display_name=name,
        markup=Decimal(markup) if markup is not None else None, all_offers=all_offers), client_id, 1))
    return {"client_id": str(client_id)}


async def assigned(stock, reseller):
    page = (await stock.get(f"/resellers/{reseller['client_id']}/assignments", params={"limit": 200})).json()
    return {a["departure_id"]: a["markup_percent"] for a in page["items"]}


async def test_departures_are_assigned_by_id_by_stay_or_all_and_priced_with_the_markup(stock, bus, applied):
    stay, (july, august) = await make_stay(stock, "2027-07-01", "2027-08-01")
    _, (other,) = await make_stay(stock, "2027-09-01")
    reseller = await make_reseller(bus, applied, markup="10")
    url = f"/resellers/{reseller['client_id']}/assignments"

    unassigned = await stock.get(f"/departures/{july['id']}/pricing", params={"reseller_id": reseller["client_id"]})
    assert unassigned.status_code == 409 and unassigned.json()["code"] == "departure_not_assigned"

    assert (await stock.post(url, json={"departure_ids": [july["id"]], "markup_percent": "5"})).json() == {"assigned": 1}
    assert (await stock.post(url, json={"stay_id": stay["id"]})).json() == {"assigned": 1}
    assert await assigned(stock, reseller) == {july["id"]: "5.00", august["id"]: "10.00"}
    assert (await stock.post(url, json={"all": True})).json() == {"assigned": 1}
    assert set(await assigned(stock, reseller)) == {july["id"], august["id"], other["id"]}

    priced = (await stock.get(f"/departures/{august['id']}/pricing",
                              params={"reseller_id": reseller["client_id"]})).json()
    assert priced["markup_percent"] == "10.00" and priced["base_price"] == "880.00" and priced["total"] == "880.00"
    changed = await stock.put(f"{url}/{august['id']}/markup", json={"markup_percent": "12.5"})
    assert changed.status_code == 200 and changed.json()["markup_percent"] == "12.50"
    assert (await stock.get(f"/departures/{august['id']}/pricing",
                            params={"reseller_id": reseller["client_id"]})).json()["total"] == "900.00"
    assert (await stock.get(f"/departures/{august['id']}/pricing")).json()["total"] == "800.00"

    assert (await stock.delete(f"{url}/{august['id']}")).status_code == 204
    assert (await stock.delete(f"{url}/{august['id']}")).status_code == 404
    assert (await stock.get(f"/departures/{august['id']}/pricing",
                            params={"reseller_id": reseller["client_id"]})).status_code == 409


async def test_reseller_input_is_checked(stock, bus, applied):
    reseller = await make_reseller(bus, applied)
    url = f"/resellers/{reseller['client_id']}/assignments"
    assert (await stock.get(f"/resellers/{reseller['client_id']}")).status_code == 404, "no offer: no reseller yet"
    assert (await stock.post(url, json={"all": True, "stay_id": str(uuid.uuid4())})).status_code == 422
    assert (await stock.post(url, json={})).status_code == 422
    assert (await stock.post(url, json={"all": True, "markup_percent": "100.01"})).status_code == 422
    assert (await stock.post(url, json={"departure_ids": [str(uuid.uuid4())]})).status_code == 404
    assert (await stock.post(f"/resellers/{uuid.uuid4()}/assignments", json={"all": True})).status_code == 404
    assert (await stock.post(url, json={"all": True}, headers=auth("accountant"))).status_code == 403
    assert (await stock.post("/resellers", json={"client_id": reseller["client_id"], "name": "X"})).status_code == 405


async def test_a_reseller_is_a_professional_client_as_clients_says(stock, bus, applied):
    _, (july,) = await make_stay(stock, "2027-07-01")
    family = await make_reseller(bus, applied, kind="private", markup=None, name="Famille Roux")
    refused = await stock.post(f"/resellers/{family['client_id']}/assignments", json={"departure_ids": [july["id"]]})
    assert refused.status_code == 409 and refused.json()["code"] == "reseller_not_professional", refused.text
    assert (await stock.get(f"/resellers/{family['client_id']}")).status_code == 404

    town_hall = await make_reseller(bus, applied, markup="7.5", name="Mairie de Bron")
    rid = town_hall["client_id"]
    assert (await stock.post(f"/resellers/{rid}/assignments", json={"departure_ids": [july["id"]]})).status_code == 200
    listed = (await stock.get("/resellers")).json()["items"]
    assert [(r["client_id"], r["name"], r["markup_percent"], r["all_offers"]) for r in listed] == [
        (rid, "Mairie de Bron", "7.50", False)]
    priced = await stock.get(f"/departures/{july['id']}/pricing", params={"reseller_id": rid})
    assert priced.json()["total"] == "860.00"

    def changed(**state):
        return events.ClientUpdated(client_id=uuid.UUID(rid), display_name="Mairie de Bron",
                                    **{"kind": "professional", "company_name": "Mairie de Bron", **state})

    await applied(await bus.publish(changed(kind="private", company_name=None, markup=None), rid, 3))
    await applied(await bus.publish(changed(markup=Decimal("20")), rid, 2))  # late: older than what was applied
    assert (await stock.get(f"/resellers/{rid}")).status_code == 404, "a client turned private resells no more"
    unassigned = await stock.get(f"/departures/{july['id']}/pricing", params={"reseller_id": rid})
    assert unassigned.status_code == 409 and unassigned.json()["code"] == "departure_not_assigned"
    await applied(await bus.publish(changed(markup=Decimal("12")), rid, 4))
    again = (await stock.get(f"/resellers/{rid}")).json()
    assert (again["markup_percent"], again["name"]) == ("12.00", "Mairie de Bron")
    deleted = events.ClientDeleted(**changed(markup=Decimal("12")).model_dump())
    await applied(await bus.publish(deleted, rid, 5))
    assert (await stock.get(f"/resellers/{rid}")).status_code == 404, "a client in the trash is sold nothing"


async def test_the_nightly_job_gives_all_offers_resellers_every_departure_once_a_night(stock, stock_db, bus, applied):
    _, (july,) = await make_stay(stock, "2027-07-01")
    everything = await make_reseller(bus, applied, markup="8", all_offers=True)
    some = await make_reseller(bus, applied)
    private = await make_reseller(bus, applied, kind="private", markup=None, all_offers=True)
    engine = make_engine(stock_db, pool_size=2)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    clock = FrozenClock(datetime(2027, 3, 1, 2, 0, tzinfo=UTC))
    (job,) = JOBS
    try:
        ran = await asyncio.gather(*(run_once(job, "stock", sessions, clock) for _ in range(2)))
        assert any(ran), "one replica runs the job; another may skip it while it holds the lock"
        assert await assigned(stock, everything) == {july["id"]: "8.00"}
        assert (await stock.get(f"/resellers/{some['client_id']}/assignments")).status_code == 404
        assert (await stock.get(f"/resellers/{private['client_id']}/assignments")).status_code == 404

        _, (august,) = await make_stay(stock, "2027-08-01")
        await run_once(job, "stock", sessions, clock)
        assert set(await assigned(stock, everything)) == {july["id"]}, "a departure created today waits for the night"
        clock.advance(timedelta(days=1))
        await run_once(job, "stock", sessions, clock)
        assert set(await assigned(stock, everything)) == {july["id"], august["id"]}
    finally:
        await engine.dispose()


def order(cls, departure_id, order_id, status, reseller_id, places=1):
    return cls(order_id=order_id, reference="R-1", client_id=uuid.uuid4(), departure_id=departure_id, status=status,
               places=places, participant_ids=[uuid.uuid4() for _ in range(places)], total=Decimal("800.00"),
               amount_paid=Decimal("0.00"), invoiced=False, reseller_id=reseller_id)


async def answer(bus, order_id, version):
    async def found():
        return [e for e in bus.of_type(events.HoldConfirmed, order_id=order_id)
                + bus.of_type(events.HoldRejected, order_id=order_id) if e.data["order_version"] == version]

    (answered,) = await eventually(found)
    return answered


async def test_a_resellers_customer_takes_places_only_once_validated(stock, bus: BusSpy, applied):
    _, (july, august) = await make_stay(stock, "2027-07-01", "2027-08-01", capacity=2)
    reseller = await make_reseller(bus, applied)
    rid = reseller["client_id"]
    await stock.post(f"/resellers/{rid}/assignments", json={"departure_ids": [july["id"]]})

    optioned = uuid.uuid4()
    await bus.publish(order(events.OrderPlaced, july["id"], optioned, "pending", rid, places=2), optioned, 1)
    assert (await answer(bus, optioned, 1)).type == events.HoldConfirmed.TYPE
    await bus.publish(order(events.OrderOptioned, july["id"], optioned, "option", rid, places=2), optioned, 2)
    direct = uuid.uuid4()
    await bus.publish(order(events.OrderPlaced, july["id"], direct, "pending", None, places=1), direct, 1)
    assert (await answer(bus, direct, 1)).type == events.HoldConfirmed.TYPE
    stock_now = (await stock.get(f"/departures/{july['id']}")).json()["stock"]
    assert stock_now["held"] == 1 and stock_now["free"] == 1, "the reseller's option leaves the places to sell"

    await bus.publish(order(events.OrderValidated, july["id"], optioned, "validated", rid, places=2), optioned, 3)
    refused = await answer(bus, optioned, 3)
    assert refused.type == events.HoldRejected.TYPE and refused.data["free"] == 1
    assert (await stock.get(f"/departures/{july['id']}")).json()["stock"]["confirmed"] == 0

    other = uuid.uuid4()
    await bus.publish(order(events.OrderPlaced, july["id"], other, "pending", rid), other, 1)
    await answer(bus, other, 1)
    await bus.publish(order(events.OrderValidated, july["id"], other, "validated", rid), other, 2)
    await eventually(lambda: _confirmed(stock, july["id"], 1))

    elsewhere = uuid.uuid4()
    await bus.publish(order(events.OrderPlaced, august["id"], elsewhere, "pending", rid), elsewhere, 1)
    not_assigned = await answer(bus, elsewhere, 1)
    assert not_assigned.type == events.HoldRejected.TYPE and "revendeur" in not_assigned.data["reason"]
    assert (await stock.get("/reconciliation")).json()["items"] == []


async def _confirmed(stock, departure_id, places):
    return (await stock.get(f"/departures/{departure_id}")).json()["stock"]["confirmed"] == places
