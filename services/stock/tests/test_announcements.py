"""What stock announces for the copies other services keep (orders books from them): every change of what a
departure is sold with is `stock.departure.changed` with a new version and the whole catalogue, the same state
`GET /departure-states` gives; an organiser's resolved commercial settings follow each change of it or of the master
entity."""
from shared import events
from shared.testing import eventually

from .test_catalogue_api import add_city, make_departure
from .test_organisers_api import create
from .test_resellers import make_reseller


async def test_each_change_of_what_a_departure_sells_is_announced_with_its_catalogue(stock, bus, applied):
    departure = await make_departure(stock)
    lyon = await add_city(stock, departure["id"], "Lyon", "50.00")
    extra = (await stock.post(f"/departures/{departure['id']}/extras", json={"label": "Canoë", "price": "40"})).json()
    insurance = await stock.post(f"/stays/{departure['stay_id']}/add-ons",
                                 json={"label": "Assurance", "price": "15", "mandatory": True})
    assert insurance.status_code == 201, insurance.text
    renamed = await stock.patch(f"/stays/{departure['stay_id']}", json={"title": "Aventure au lac"})
    assert renamed.status_code == 200, renamed.text
    reseller = await make_reseller(bus, applied, markup="10")
    assigned = await stock.post(f"/resellers/{reseller['client_id']}/assignments",
                                json={"departure_ids": [departure["id"]]})
    assert assigned.status_code == 200, assigned.text

    async def announced(count):
        seen = bus.of_type(events.DepartureChanged, departure_id=departure["id"])
        return seen if len(seen) >= count else None

    changes = await eventually(lambda: announced(5))
    assert [c.aggregate_version for c in changes] == [2, 3, 4, 5, 6], "one new version per change"
    last = events.DepartureChanged.model_validate(changes[-1].data)
    assert last.stay_title == "Aventure au lac"
    assert [(str(c.city_id), str(c.fare)) for c in last.catalogue.cities] == [(lyon["id"], "50.00")]
    assert [str(e.extra_id) for e in last.catalogue.extras] == [extra["id"]]
    assert [(a.label, a.mandatory) for a in last.catalogue.add_ons] == [("Assurance", True)]
    assert [(str(r.reseller_id), str(r.markup_percent)) for r in last.catalogue.resellers] == [
        (reseller["client_id"], "10.00")]

    (state,) = [s for s in (await stock.get("/departure-states")).json()["items"]
                if s["departure_id"] == departure["id"]]
    assert state["version"] == 6 and state["catalogue"] == changes[-1].data["catalogue"]


async def test_an_organiser_s_settings_are_announced_when_it_or_the_master_entity_changes(stock, bus):
    master = await create(stock, name="Colo France", is_master=True, individual_fee="15.00")
    alpes = await create(stock, name="Colos des Alpes")
    changed = await stock.patch(f"/organisers/{master['id']}/settings", json={"return_city_variation_percent": "10"})
    assert changed.status_code == 200, changed.text

    async def latest(organiser_id, version):
        seen = bus.of_type(events.CommercialSettingsChanged, organiser_id=organiser_id)
        return seen[-1] if seen and seen[-1].aggregate_version == version else None

    alpes_now = await eventually(lambda: latest(alpes["id"], 2))  # its creation, then the master's change
    assert alpes_now.data["return_city_variation_percent"] == "10"
    effective = (await stock.get(f"/organisers/{alpes['id']}/commercial-settings")).json()
    assert {k: alpes_now.data[k] for k in ("deposit", "option_days", "expired_option_days")} == {
        k: effective[k] for k in ("deposit", "option_days", "expired_option_days")}
