"""Birthdays of clients and participants in a range, year ignored: the seeds' "anniversaires compris entre",
through the API too."""
from datetime import date

import pytest

from clients.domain.birthdays import birthday_in, covered_days, day_key, position
from clients.domain.record import InvalidClient


def test_a_range_across_the_year_end_covers_december_then_january():
    days = covered_days(date(2027, 12, 30), date(2028, 1, 2))
    assert days == {1230, 1231, 101, 102}
    start = date(2027, 12, 30)
    assert sorted(days, key=lambda k: position(k, start)) == [1230, 1231, 101, 102]


def test_someone_born_on_29_february_celebrates_on_the_28th_in_other_years():
    assert 229 in covered_days(date(2027, 2, 28), date(2027, 2, 28))
    assert 229 not in covered_days(date(2028, 2, 28), date(2028, 2, 28))
    assert 229 in covered_days(date(2028, 2, 29), date(2028, 3, 1))
    assert birthday_in(date(2016, 2, 29), date(2027, 2, 1), date(2027, 3, 1)) == date(2027, 2, 28)
    assert birthday_in(date(2016, 2, 29), date(2028, 2, 1), date(2028, 3, 1)) == date(2028, 2, 29)


def test_the_birthday_is_dated_in_the_right_year_of_the_range():
    assert birthday_in(date(2015, 1, 1), date(2027, 12, 30), date(2028, 1, 2)) == date(2028, 1, 1)
    assert birthday_in(date(2015, 12, 31), date(2027, 12, 30), date(2028, 1, 2)) == date(2027, 12, 31)
    assert day_key(date(2015, 4, 23)) == 423


def test_a_reversed_or_longer_than_a_year_range_is_refused():
    with pytest.raises(InvalidClient):
        covered_days(date(2027, 3, 1), date(2027, 2, 1))
    with pytest.raises(InvalidClient):
        covered_days(date(2027, 1, 1), date(2028, 1, 1))
    assert len(covered_days(date(2027, 1, 1), date(2027, 12, 31))) == 366


async def test_participants_celebrating_across_the_new_year_come_in_calendar_order(clients, samples):
    client = await samples.make_client(clients)
    other = await samples.make_client(clients, last_name="Durand")
    people = {"Léa": "2015-12-31", "Noé": "2016-01-02", "Jade": "2014-12-20", "Tom": "2016-02-29",
              "Lou": "2013-06-15"}
    for first_name, born in people.items():
        owner = other if first_name == "Jade" else client
        response = await clients.post(f"/clients/{owner['id']}/participants",
                                      json={"last_name": "Martin", "first_name": first_name, "birth_date": born})
        assert response.status_code == 201, response.text
    await clients.post(f"/clients/{client['id']}/participants", json={"last_name": "Martin", "first_name": "Zoé"})

    first = await clients.get("/birthdays", params={"start": "2027-12-20", "end": "2028-01-10", "limit": 2})
    assert first.status_code == 200, first.text
    second = await clients.get("/birthdays", params={"start": "2027-12-20", "end": "2028-01-10", "limit": 2,
                                                     "cursor": first.json()["next_cursor"]})
    found = [(b["first_name"], b["birthday"], b["age"]) for b in first.json()["items"] + second.json()["items"]]
    assert found == [("Jade", "2027-12-20", 13), ("Léa", "2027-12-31", 12), ("Noé", "2028-01-02", 12)]
    assert second.json()["next_cursor"] is None

    february = (await clients.get("/birthdays", params={"start": "2027-02-28", "end": "2027-02-28"})).json()
    assert [(b["first_name"], b["birthday"]) for b in february["items"]] == [("Tom", "2027-02-28")]
    assert (await clients.get("/birthdays", params={"start": "2028-02-28", "end": "2028-02-28"})).json()["items"] == []

    await clients.delete(f"/clients/{other['id']}")
    december = (await clients.get("/birthdays", params={"start": "2027-12-01", "end": "2027-12-31"})).json()
    assert [b["first_name"] for b in december["items"]] == ["Léa"]


async def test_clients_celebrate_beside_participants(clients, samples):
    client = await samples.make_client(clients, first_name="Claire", birth_date="1985-07-14")
    await clients.post(f"/clients/{client['id']}/participants",
                       json={"last_name": "Martin", "first_name": "Léa", "birth_date": "2015-07-12"})
    july = (await clients.get("/birthdays", params={"start": "2027-07-10", "end": "2027-07-20"})).json()
    assert [(b["kind"], b["first_name"], b["birthday"], b["age"]) for b in july["items"]] == [
        ("participant", "Léa", "2027-07-12", 12), ("client", "Claire", "2027-07-14", 42)]
    assert july["items"][1]["client_id"] == client["id"]


async def test_a_bad_range_is_a_422_naming_the_field(clients):
    reversed_range = await clients.get("/birthdays", params={"start": "2027-03-01", "end": "2027-02-01"})
    assert reversed_range.status_code == 422
    assert [e["field"] for e in reversed_range.json()["errors"]] == ["query.end"]
    assert (await clients.get("/birthdays", params={"start": "2027-03-01"})).status_code == 422
    assert (await clients.get("/birthdays", params={"start": "2027-01-01", "end": "2027-12-31"})).status_code == 200
