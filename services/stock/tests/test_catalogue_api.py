"""Cities, extras, pricing, filtered listings and the stock summary, through the API on a real database."""
import uuid

from shared.testing import auth


async def make_departure(stock, capacity=10):
    stay = (await stock.post("/stays", json={"title": "Aventure en Ardèche"})).json()
    response = await stock.post(f"/stays/{stay['id']}/departures", json={
        "start_date": "2027-07-10", "end_date": "2027-07-24", "capacity": capacity, "base_price": "850.00"})
    assert response.status_code == 201, response.text
    return response.json()


async def add_city(stock, departure_id, city, fare):
    response = await stock.post(f"/departures/{departure_id}/cities", json={"city": city, "fare": fare})
    assert response.status_code == 201, response.text
    return response.json()


async def test_cities_are_added_listed_unique_and_removed(stock):
    departure = await make_departure(stock)
    lyon = await add_city(stock, departure["id"], "Lyon", "50.00")
    await add_city(stock, departure["id"], "Toulouse", "20")
    again = await stock.post(f"/departures/{departure['id']}/cities", json={"city": " lyon ", "fare": "10"})
    assert again.status_code == 409 and again.json()["code"] == "city_exists"

    listed = (await stock.get(f"/departures/{departure['id']}/cities")).json()
    assert [(c["city"], c["fare"]) for c in listed["items"]] == [("Lyon", "50.00"), ("Toulouse", "20.00")]

    assert (await stock.delete(f"/departures/{departure['id']}/cities/{lyon['id']}")).status_code == 204
    assert (await stock.delete(f"/departures/{departure['id']}/cities/{lyon['id']}")).status_code == 404
    assert [c["city"] for c in (await stock.get(f"/departures/{departure['id']}/cities")).json()["items"]] \
        == ["Toulouse"]


async def test_city_and_extra_input_is_checked_and_writes_need_staff(stock):
    departure = await make_departure(stock)
    bad_fare = await stock.post(f"/departures/{departure['id']}/cities", json={"city": "Nice", "fare": "-1"})
    assert bad_fare.status_code == 422
    bad_extra = await stock.post(f"/departures/{departure['id']}/extras",
                                 json={"label": "Kayak", "price": "10", "capacity": -2})
    assert bad_extra.status_code == 422
    assert (await stock.post(f"/departures/{uuid.uuid4()}/cities", json={"city": "Nice", "fare": "1"})).status_code \
        == 404
    accountant = await stock.post(f"/departures/{departure['id']}/cities", json={"city": "Nice", "fare": "1"},
                                  headers=auth("accountant"))
    assert accountant.status_code == 403
    assert (await stock.get(f"/departures/{departure['id']}/cities", headers=auth("accountant"))).status_code == 200


async def test_extras_have_their_own_capacity_or_none(stock):
    departure = await make_departure(stock)
    riding = await stock.post(f"/departures/{departure['id']}/extras",
                              json={"label": "Équitation", "price": "120.00", "capacity": 12})
    photos = await stock.post(f"/departures/{departure['id']}/extras",
                              json={"label": "Album photo", "price": "15", "capacity": None})
    assert riding.status_code == photos.status_code == 201
    listed = (await stock.get(f"/departures/{departure['id']}/extras")).json()["items"]
    assert [(e["label"], e["price"], e["capacity"]) for e in listed] == [
        ("Équitation", "120.00", 12), ("Album photo", "15.00", None)]


async def test_pricing_follows_the_seed_rule_for_another_return_city(stock):
    departure = await make_departure(stock)
    lyon = await add_city(stock, departure["id"], "Lyon", "50")
    toulouse = await add_city(stock, departure["id"], "Toulouse", "20")
    riding = (await stock.post(f"/departures/{departure['id']}/extras",
                               json={"label": "Équitation", "price": "120.00", "capacity": 12})).json()
    url = f"/departures/{departure['id']}/pricing"

    same = (await stock.get(url, params={"outbound_city": lyon["id"]})).json()
    assert same["transport_fare"] == "50.00" and same["total"] == "900.00"
    assert same["transport"]["return_city"] == "Lyon"

    mixed = (await stock.get(url, params={"outbound_city": lyon["id"], "return_city": toulouse["id"],
                                          "extras": [riding["id"]]})).json()
    assert mixed["base_price"] == "850.00" and mixed["transport_fare"] == "42.00"
    assert mixed["extras"] == [{"id": riding["id"], "label": "Équitation", "price": "120.00"}]
    assert mixed["total"] == "1012.00"

    without_transport = (await stock.get(url)).json()
    assert without_transport["transport"] is None and without_transport["total"] == "850.00"


async def test_pricing_refuses_foreign_or_inconsistent_choices(stock):
    departure = await make_departure(stock)
    other = await make_departure(stock)
    lyon = await add_city(stock, departure["id"], "Lyon", "50")
    foreign = await add_city(stock, other["id"], "Paris", "80")
    url = f"/departures/{departure['id']}/pricing"
    assert (await stock.get(url, params={"outbound_city": foreign["id"]})).status_code == 404
    assert (await stock.get(url, params={"extras": [str(uuid.uuid4())]})).status_code == 404
    orphan_return = await stock.get(url, params={"return_city": lyon["id"]})
    assert orphan_return.status_code == 422 and orphan_return.json()["code"] == "return_without_outbound"
    extra = (await stock.post(f"/departures/{departure['id']}/extras",
                              json={"label": "Kayak", "price": "10", "capacity": None})).json()
    twice = await stock.get(url, params={"extras": [extra["id"], extra["id"]]})
    assert twice.status_code == 422 and twice.json()["code"] == "duplicate_extra"
    assert (await stock.get(f"/departures/{uuid.uuid4()}/pricing")).status_code == 404


async def _departures(stock, **params):
    response = await stock.get("/departures", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_departures_are_filtered_and_sorted_with_a_valid_cursor(stock):
    stay = (await stock.post("/stays", json={"title": "Océan"})).json()
    specs = [("2027-07-05", "2027-07-12", 300, 5), ("2027-07-01", "2027-07-08", 100, 0),
             ("2027-07-20", "2027-07-27", 200, 8), ("2027-08-01", "2027-08-08", 200, 3)]
    for start, end, price, capacity in specs:
        await stock.post(f"/stays/{stay['id']}/departures", json={
            "start_date": start, "end_date": end, "capacity": capacity, "base_price": str(price)})
    sid = stay["id"]

    def starts(page):
        return [d["start_date"] for d in page["items"]]

    assert starts(await _departures(stock, stay_id=sid, sort="start_date")) == [
        "2027-07-01", "2027-07-05", "2027-07-20", "2027-08-01"]
    assert starts(await _departures(stock, stay_id=sid, start_after="2027-07-05", end_before="2027-07-27")) == [
        "2027-07-05", "2027-07-20"]
    assert starts(await _departures(stock, stay_id=sid, min_free=4, sort="-start_date")) == [
        "2027-07-20", "2027-07-05"]
    assert starts(await _departures(stock, stay_id=sid, price_min="150", price_max="250", sort="start_date")) == [
        "2027-07-20", "2027-08-01"]

    first = await _departures(stock, stay_id=sid, sort="-base_price", limit=2)
    second = await _departures(stock, stay_id=sid, sort="-base_price", limit=2, cursor=first["next_cursor"])
    prices = [d["base_price"] for d in first["items"] + second["items"]]
    assert prices == ["300.00", "200.00", "200.00", "100.00"] and second["next_cursor"] is None
    assert len({d["id"] for d in first["items"] + second["items"]}) == 4

    first_id = first["items"][0]["id"]
    await stock.post(f"/departures/{first_id}/cities", json={"city": "Lyon", "fare": "50"})
    assert [d["id"] for d in (await _departures(stock, stay_id=sid, city=" LYON"))["items"]] == [first_id]
    assert (await _departures(stock, stay_id=sid, city="Paris"))["items"] == []

    other_sort = await stock.get("/departures", params={"sort": "start_date", "cursor": first["next_cursor"]})
    assert other_sort.status_code == 422 and other_sort.json()["code"] == "invalid_cursor"
    assert (await stock.get("/departures", params={"sort": "title"})).status_code == 422
    assert (await stock.get("/departures", params={"price_min": "9", "price_max": "1"})).status_code == 422
    assert (await stock.get("/departures", params={"stay_id": str(uuid.uuid4())})).status_code == 404


async def test_an_amount_beyond_what_its_column_holds_is_a_422_naming_it_never_an_overflow(stock):
    huge = await stock.get("/departures", params={"price_max": "1e14", "price_min": "1e12"})
    assert huge.status_code == 422, huge.text
    assert {e["field"] for e in huge.json()["errors"]} == {"query.price_min", "query.price_max"}
    widest = await stock.get("/departures", params={"price_min": "0", "price_max": "9999999999.99"})
    assert widest.status_code == 200, widest.text
    stay = (await stock.post("/stays", json={"title": "Océan"})).json()
    departure = (await stock.post(f"/stays/{stay['id']}/departures", json={
        "start_date": "2027-07-01", "end_date": "2027-07-08", "capacity": 5, "base_price": "100"})).json()
    for path, body, field in (
            (f"/stays/{stay['id']}/departures", {"start_date": "2027-07-01", "end_date": "2027-07-08", "capacity": 5,
                                                 "base_price": "1e14"}, "body.base_price"),
            (f"/departures/{departure['id']}/extras", {"label": "Kayak", "price": 1e12}, "body.price"),
            (f"/departures/{departure['id']}/add-ons", {"label": "Frais", "price": "10000000000"}, "body.price"),
            (f"/departures/{departure['id']}/cities", {"city": "Lyon", "fare": "1e20"}, "body.fare"),
            ("/organisers", {"name": "Colos", "individual_fee": "1e13"}, "body.individual_fee")):
        response = await stock.post(path, json=body)
        assert response.status_code == 422, (path, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [field]
    too_steep = await stock.patch(f"/stays/{stay['id']}", json={"cancellation_fees": [{"days_before": 3,
                                                                                        "percent": "1e6"}]})
    assert too_steep.status_code == 422, too_steep.text


async def test_add_ons_are_described_as_they_are_read_and_answered(stock):
    spec = (await stock.get("/openapi.json")).json()
    operation = spec["paths"]["/departures/{departure_id}/add-ons"]["post"]
    assert operation["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AddOnOut"}
    price = spec["components"]["schemas"]["AddOnIn"]["properties"]["price"]
    number, text = price["anyOf"]
    assert (number["type"], number["minimum"], number["maximum"]) == ("integer", 0, 1_000_000)
    assert text["type"] == "string" and text["pattern"]
    departure = await make_departure(stock, capacity=5)
    for price, stored in ((12, "12.00"), ("999999.99", "999999.99"), ("0.5", "0.50")):
        added = await stock.post(f"/departures/{departure['id']}/add-ons", json={"label": "Frais", "price": price})
        assert added.status_code == 201 and added.json()["price"] == stored, added.text
    assert (await stock.post(f"/departures/{departure['id']}/add-ons",
                             json={"label": "Frais", "price": "1.234"})).status_code == 422


async def test_stock_summary_gives_buckets_per_stay_and_departure(stock):
    july = await make_departure(stock, capacity=10)
    stay_id = july["stay_id"]
    await stock.post(f"/stays/{stay_id}/departures", json={
        "start_date": "2027-09-01", "end_date": "2027-09-08", "capacity": 4, "base_price": "100"})
    other = await make_departure(stock, capacity=6)

    page = (await stock.get("/stock-summary", params={"end_before": "2027-08-01", "limit": 1})).json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    first = page["items"][0]
    assert first["stay_id"] == stay_id
    assert [d["departure_id"] for d in first["departures"]] == [july["id"]]
    assert first["total"] == {"capacity": 10, "held": 0, "overdue": 0, "confirmed": 0, "free": 10}
    rest = (await stock.get("/stock-summary", params={"end_before": "2027-08-01", "cursor": page["next_cursor"]})
            ).json()
    assert [s["stay_id"] for s in rest["items"]] == [other["stay_id"]] and rest["next_cursor"] is None

    alpes = (await stock.post("/organisers", json={"name": "Colos des Alpes"})).json()
    await stock.patch(f"/stays/{other['stay_id']}", json={"organiser_id": alpes["id"]})
    theirs = (await stock.get("/stock-summary", params={"organiser_id": alpes["id"]})).json()["items"]
    assert [(s["stay_id"], s["organiser_id"]) for s in theirs] == [(other["stay_id"], alpes["id"])]

    whole = (await stock.get("/stock-summary")).json()["items"][0]
    assert whole["total"]["capacity"] == 14 and len(whole["departures"]) == 2
    assert (await stock.get("/stock-summary", params={"start_after": "2027-09-01",
                                                      "end_before": "2027-08-01"})).status_code == 422
