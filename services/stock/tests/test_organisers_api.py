"""Organisers, the master entity's settings and the effective commercial settings orders reads."""
import asyncio
import uuid

from shared.testing import auth


async def create(stock, **body):
    response = await stock.post("/organisers", json={"name": "Organisateur", **body})
    assert response.status_code == 201, response.text
    return response.json()


async def test_there_is_exactly_one_master_entity(stock):
    master = await create(stock, name="Colo France", is_master=True)
    second = await stock.post("/organisers", json={"name": "Autre", "is_master": True})
    assert second.status_code == 409 and second.json()["code"] == "master_exists"
    deleted = await stock.delete(f"/organisers/{master['id']}")
    assert deleted.status_code == 409 and deleted.json()["code"] == "master_entity"
    listed = (await stock.get("/organisers")).json()
    assert [o["name"] for o in listed["items"]] == ["Colo France"]


async def test_effective_settings_resolve_what_the_master_manages(stock):
    master = await create(stock, name="Colo France", is_master=True, individual_fee="15.00", family_fee="20.00")
    alpes = await create(stock, name="Colos des Alpes", individual_fee="30", family_fee="50")
    settings_url = f"/organisers/{master['id']}/settings"
    changed = await stock.patch(settings_url, json={
        "membership_enabled": True, "membership_managed_by": "master", "membership_year": "rolling",
        "deposit_percent": "25", "late_threshold_days": 21, "late_percent": "100", "other_means_when_late": True,
        "return_city_variation_percent": "10", "option_days": 5, "expired_option_days": 3})
    assert changed.status_code == 200, changed.text

    effective = (await stock.get(f"/organisers/{alpes['id']}/commercial-settings")).json()
    assert effective == {
        "organiser_id": alpes["id"], "master_organiser_id": master["id"],
        "membership": {"managed_by": "master", "scope_organiser_id": master["id"], "scope_name": "Colo France",
                       "individual_fee": "15.00", "family_fee": "20.00", "year": "rolling"},
        "deposit": {"percent": "25.00", "late_threshold_days": 21, "late_percent": "100.00",
                    "other_means_when_late": True},
        "return_city_variation_percent": "10.00", "option_days": 5, "expired_option_days": 3,
    }

    await stock.patch(settings_url, json={"membership_managed_by": "organiser"})
    by_organiser = (await stock.get(f"/organisers/{alpes['id']}/commercial-settings")).json()["membership"]
    assert by_organiser["scope_organiser_id"] == alpes["id"] and by_organiser["individual_fee"] == "30.00"
    assert by_organiser["scope_name"] == "Colos des Alpes"
    await stock.patch(f"/organisers/{alpes['id']}", json={"individual_fee": None, "family_fee": None})
    assert (await stock.get(f"/organisers/{alpes['id']}/commercial-settings")).json()["membership"] is None


async def test_settings_and_fees_are_validated(stock):
    master = await create(stock, is_master=True)
    other = await create(stock)
    assert (await stock.post("/organisers", json={"name": "X", "individual_fee": "-1"})).status_code == 422
    below = await stock.post("/organisers", json={"name": "X", "individual_fee": "30", "family_fee": "20"})
    assert below.status_code == 409 and below.json()["code"] == "family_fee_below_individual"
    for bad in ({"deposit_percent": "101"}, {"option_days": -1}, {"membership_year": "lunar"}, {"unknown": 1}):
        assert (await stock.patch(f"/organisers/{master['id']}/settings", json=bad)).status_code == 422, bad
    lower_late = await stock.patch(f"/organisers/{master['id']}/settings", json={"late_percent": "10"})
    assert lower_late.status_code == 409 and lower_late.json()["code"] == "late_deposit_below_normal"
    assert (await stock.patch(f"/organisers/{other['id']}", json={"name": None})).status_code == 422
    assert (await stock.patch(f"/organisers/{other['id']}", json={"family_fee": "5"})).status_code == 409
    not_master = await stock.get(f"/organisers/{other['id']}/settings")
    assert not_master.status_code == 409 and not_master.json()["code"] == "not_master_entity"
    assert (await stock.get(f"/organisers/{uuid.uuid4()}/commercial-settings")).status_code == 404
    assert (await stock.patch(f"/organisers/{master['id']}/settings", json={"option_days": 3},
                              headers=auth("accountant"))).status_code == 403


async def test_an_organiser_running_stays_cannot_be_deleted(stock):
    await create(stock, is_master=True)
    alpes = await create(stock, name="Colos des Alpes")
    stay = (await stock.post("/stays", json={"title": "Neige", "organiser_id": alpes["id"]})).json()
    refused = await stock.delete(f"/organisers/{alpes['id']}")
    assert refused.status_code == 409 and refused.json()["code"] == "organiser_has_stays"
    await stock.patch(f"/stays/{stay['id']}", json={"organiser_id": (await stock.get("/organisers")).json()
                                                   ["items"][0]["id"]})
    assert (await stock.delete(f"/organisers/{alpes['id']}")).status_code == 204


async def test_a_stay_without_organiser_belongs_to_the_master_entity_created_if_missing(stock):
    stay = (await stock.post("/stays", json={"title": "Mer"})).json()
    masters = [o for o in (await stock.get("/organisers")).json()["items"] if o["is_master"]]
    assert len(masters) == 1 and stay["organiser_id"] == masters[0]["id"]
    settings = (await stock.get(f"/organisers/{masters[0]['id']}/commercial-settings")).json()
    assert settings["return_city_variation_percent"] == "20.00" and settings["membership"] is None


async def test_concurrent_first_stays_and_masters_make_one_master_entity(stock):
    stays = await asyncio.gather(*(stock.post("/stays", json={"title": f"Séjour {n}"}) for n in range(6)))
    assert {s.status_code for s in stays} == {201}
    assert len({s.json()["organiser_id"] for s in stays}) == 1
    masters = await asyncio.gather(*(stock.post("/organisers", json={"name": "Bis", "is_master": True})
                                     for _ in range(4)))
    assert {m.status_code for m in masters} == {409}
