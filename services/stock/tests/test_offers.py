"""The public catalogue, read without a token, and a reseller's own departures at its prices, with its token."""
import uuid
from decimal import Decimal

import pytest

from shared import events
from shared.testing import auth, front_office_operations
from stock.app import StockSettings, create

STOCK_BUCKETS = {"capacity", "held", "overdue", "confirmed", "free", "stock", "status", "version", "organiser_id"}


async def stay(stock, title, **rules):
    response = await stock.post("/stays", json={"title": title, "description": f"{title} : activités, veillées.",
                                                **rules})
    assert response.status_code == 201, response.text
    return response.json()


async def departure(stock, stay_id, start, capacity=10, price="850.00", cities=()):
    response = await stock.post(f"/stays/{stay_id}/departures", json={
        "start_date": start, "end_date": start[:-2] + "20", "capacity": capacity, "base_price": price})
    assert response.status_code == 201, response.text
    for city, fare in cities:
        assert (await stock.post(f"/departures/{response.json()['id']}/cities",
                                 json={"city": city, "fare": fare})).status_code == 201
    return response.json()


@pytest.fixture
async def catalogue(stock):
    """Two stays and their departures: three on sale, and one closed, one full, one started, which are not."""
    sea = await stay(stock, "Mer et voile à Sète", min_age=8, max_age=14)
    ski = await stay(stock, "Glisse à Chamrousse", min_age=12)
    on_sale = {
        "sea_july": await departure(stock, sea["id"], "2031-07-10", cities=[("Lyon", "50.00"), ("Dijon", "70.00")]),
        "sea_august": await departure(stock, sea["id"], "2031-08-10", price="900.00"),
        "ski_february": await departure(stock, ski["id"], "2031-02-10", price="690.00"),
    }
    closed = await departure(stock, sea["id"], "2031-07-01")
    assert (await stock.patch(f"/departures/{closed['id']}", json={"status": "closed"})).status_code == 200
    full = await departure(stock, ski["id"], "2031-03-01", capacity=0)
    started = await departure(stock, sea["id"], "2020-07-01")
    return sea, ski, on_sale, [closed, full, started]


async def test_the_public_catalogue_lists_what_is_on_sale_without_a_token(stock, catalogue):
    sea, ski, on_sale, not_on_sale = catalogue
    del stock.headers["Authorization"]

    listed = await stock.get("/catalogue/departures")
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [i["id"] for i in items] == [on_sale[k]["id"] for k in ("ski_february", "sea_july", "sea_august")]
    july = items[1]
    assert july == {
        "id": on_sale["sea_july"]["id"], "stay_id": sea["id"], "title": "Mer et voile à Sète",
        "description": "Mer et voile à Sète : activités, veillées.", "min_age": 8, "max_age": 14,
        "start_date": "2031-07-10", "end_date": "2031-07-20", "price": "850.00",
        "cities": [{"id": july["cities"][0]["id"], "city": "Dijon", "fare": "70.00"},
                   {"id": july["cities"][1]["id"], "city": "Lyon", "fare": "50.00"}]}
    assert not STOCK_BUCKETS & set(july), "nothing internal: neither places nor status"
    for gone in not_on_sale:
        assert (await stock.get(f"/catalogue/departures/{gone['id']}")).status_code == 404
    assert (await stock.get(f"/catalogue/departures/{july['id']}")).json() == july

    assert (await stock.get("/departures")).status_code == 401, "the back office's list still needs a token"
    assert (await stock.get(f"/departures/{july['id']}")).status_code == 401


@pytest.mark.parametrize(("params", "expected"), [
    ({"age": 13}, ["ski_february", "sea_july", "sea_august"]),
    ({"age": 9}, ["sea_july", "sea_august"]),
    ({"age": 16}, ["ski_february"]),
    ({"start_after": "2031-07-01"}, ["sea_july", "sea_august"]),
    ({"end_before": "2031-07-31"}, ["ski_february", "sea_july"]),
    ({"start_after": "2031-07-01", "end_before": "2031-07-31", "age": 10}, ["sea_july"]),
])
async def test_the_catalogue_is_filtered_by_age_and_dates(stock, catalogue, params, expected):
    _, _, on_sale, _ = catalogue
    found = (await stock.get("/catalogue/departures", params=params, headers={"Authorization": ""})).json()["items"]
    assert [i["id"] for i in found] == [on_sale[k]["id"] for k in expected]


async def test_the_catalogue_is_filtered_by_stay_and_paged_with_cursors(stock, catalogue):
    sea, _, on_sale, _ = catalogue
    del stock.headers["Authorization"]
    assert [i["title"] for i in (await stock.get("/catalogue/departures",
                                                 params={"stay_id": sea["id"]})).json()["items"]] == \
        ["Mer et voile à Sète"] * 2

    seen, cursor = [], None
    while True:
        page = (await stock.get("/catalogue/departures", params={"limit": 1, **({"cursor": cursor} if cursor else {})}
                                )).json()
        seen += [i["id"] for i in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == [on_sale[k]["id"] for k in ("ski_february", "sea_july", "sea_august")]

    for bad in ({"cursor": "nonsense"}, {"age": -1}, {"start_after": "2031-08-01", "end_before": "2031-07-01"}):
        refused = await stock.get("/catalogue/departures", params=bad)
        assert refused.status_code == 422, bad
    assert (await stock.get(f"/catalogue/departures/{uuid.uuid4()}")).status_code == 404


async def reseller(bus, applied, markup="10", name="Mairie de Bron"):
    client_id = uuid.uuid4()
    await applied(await bus.publish(events.ClientCreated(
        client_id=client_id, kind="professional", company_name=name, display_name=name, markup=Decimal(markup),
        all_offers=False), client_id, 1))
    return str(client_id)


async def test_a_reseller_sees_the_departures_assigned_to_it_at_its_prices(stock, catalogue, bus, applied):
    sea, ski, on_sale, (closed, _, started) = catalogue
    bron = await reseller(bus, applied, markup="10")
    assigned = await stock.post(f"/resellers/{bron}/assignments", json={"stay_id": sea["id"]})
    assert assigned.json() == {"assigned": 4}
    await stock.put(f"/resellers/{bron}/assignments/{on_sale['sea_august']['id']}/markup",
                    json={"markup_percent": "12.5"})
    token = auth("reseller", client_id=bron)

    listed = await stock.get(f"/resellers/{bron}/departures", headers=token)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [(i["id"], i["status"]) for i in items] == [
        (closed["id"], "closed"), (on_sale["sea_july"]["id"], "open"), (on_sale["sea_august"]["id"], "open")], \
        "assigned, not started yet; not the stay it was not given"
    july, august = items[1], items[2]
    assert (july["markup_percent"], july["price"], [(c["city"], c["fare"]) for c in july["cities"]]) == \
        ("10.00", "935.00", [("Dijon", "77.00"), ("Lyon", "55.00")])
    assert (august["markup_percent"], august["price"], august["free_places"]) == ("12.50", "1012.50", 10)
    assert started["id"] not in {i["id"] for i in items}

    filtered = await stock.get(f"/resellers/{bron}/departures", headers=token,
                               params={"start_after": "2031-07-05", "end_before": "2031-07-31"})
    assert [i["id"] for i in filtered.json()["items"]] == [on_sale["sea_july"]["id"]]
    assert (await stock.get(f"/resellers/{bron}/departures")).status_code == 200, "staff read it too"
    assert (await stock.get(f"/resellers/{bron}/assignments", headers=token)).status_code == 403
    assert (await stock.get(f"/resellers/{bron}/departures", headers=auth("client", client_id=bron))).status_code == 403


async def test_a_resellers_token_finds_nothing_of_another_reseller(stock, catalogue, bus, applied):
    sea, _, _, _ = catalogue
    bron, vaulx = await reseller(bus, applied), await reseller(bus, applied, name="Mairie de Vaulx")
    await stock.post(f"/resellers/{bron}/assignments", json={"stay_id": sea["id"]})
    for stranger in (auth("reseller", client_id=vaulx), auth("client", client_id=vaulx)):
        answer = await stock.get(f"/resellers/{bron}/departures", headers=stranger)
        assert (answer.status_code, answer.json()["detail"]) == (404, f"No client with id {bron}.")
        unknown = uuid.uuid4()
        assert (await stock.get(f"/resellers/{unknown}/departures", headers=stranger)).json()["detail"] == \
            f"No client with id {unknown}."


def test_the_resellers_space_is_stocks_only_front_office_route():
    """A new route that takes front-office tokens needs its test that one client's token finds nothing of another's."""
    app = create(StockSettings(environment="development", jwks='{"keys": []}'))
    assert front_office_operations(app) == {("GET", "/resellers/{client_id}/departures")}
