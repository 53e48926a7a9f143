"""The search's word index on real PostgreSQL: kept in step with every write, filled for the clients that
predate it, and giving the same pages whichever way a search goes (by the index, the rarest term's words only, or by
walking the sort)."""
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from clients import search_index
from clients.app import ClientsSettings, create
from shared.clock import FrozenClock
from shared.migrations import alembic_config, create_database, drop_database, sync_url
from shared.testing import Infra, running, service_settings, truncate_all

DUPONT = {"kind": "private", "last_name": "Dupont", "first_name": "Hélène", "email": "helene@example.org",
          "mobile": "06 12 34 56 78", "address_lines": ["3 cours Lafayette"], "postal_code": "69003", "city": "Lyon"}


async def found(clients, **params):
    response = await clients.get("/clients", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["items"]]


def words_in_database(url: str) -> dict[str, set[str]]:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as db:
            rows = db.execute(text("SELECT client_id::text, word FROM client_words")).all()
            expected = db.execute(text("SELECT id::text, search_text, phone_digits, created_at FROM clients")).all()
            stale = db.execute(text("SELECT count(*) FROM client_words w JOIN clients c ON c.id = w.client_id "
                                    "WHERE w.created_at <> c.created_at")).scalar()
    finally:
        engine.dispose()
    assert stale == 0
    held: dict[str, set[str]] = {}
    for client_id, word in rows:
        held.setdefault(client_id, set()).add(word)
    assert held == {client_id: search_index.words(search, phones) for client_id, search, phones, _ in expected
                    if search_index.words(search, phones)}
    return held


async def test_the_words_follow_every_change_of_the_client(clients, clients_db):
    client = (await clients.post("/clients", json=DUPONT)).json()
    assert {"dupont", "helene", "lafayette", "69003", "0612345678", "+0612345678"} <= words_in_database(
        clients_db)[client["id"]]
    patched = await clients.patch(f"/clients/{client['id']}", json={"last_name": "Durand", "mobile": None,
                                                                    "landline": "05 56 57 58 59"})
    assert patched.status_code == 200, patched.text
    words = words_in_database(clients_db)[client["id"]]
    assert {"durand", "+0556575859"} <= words and not {"dupont", "0612345678", "+0612345678"} & words
    assert await found(clients, q="dupont") == [] and await found(clients, q="0612") == []
    assert await found(clients, q="durand hel") == [client["id"]]
    assert await found(clients, q="05 56 57") == [client["id"]]


async def test_a_number_typed_as_a_phone_finds_phones_only(clients):
    phone = (await clients.post("/clients", json={**DUPONT, "postal_code": "33000"})).json()
    place = (await clients.post("/clients", json={**DUPONT, "mobile": None, "postal_code": "06120"})).json()
    assert await found(clients, q="06 12") == [phone["id"]]
    assert await found(clients, q="+33 6 12") == [phone["id"]]
    assert await found(clients, q="0612") == [phone["id"], place["id"]]


QUERIES = [("dup", "starts_with"), ("dupont lyon", "starts_with"), ("0612", "starts_with"),
           ("06 12", "starts_with"), ("1234", "contains"), ("l", "starts_with"), ("ma 69", "starts_with"),
           ("dupont lyon 69", "starts_with"), ("", "starts_with")]


@pytest.mark.parametrize("sort", ["relevance", "created_at", "-created_at", "last_name", "-postal_code"])
async def test_a_search_by_the_index_and_by_walking_the_sort_give_the_same_pages(
    infra, clients_db, monkeypatch, sort
):
    await truncate_all(clients_db)
    clock = FrozenClock(datetime(2021, 11, 30, 23, 30, tzinfo=UTC))
    async with running(create(service_settings(ClientsSettings, infra, "clients", clients_db), clock)) as clients:
        for i in range(12):
            person = {**DUPONT, "last_name": ["Dupont", "Martin", "Dupond"][i % 3], "first_name": f"Léa{i}",
                      "mobile": f"06 12 34 {i:02d} 78" if i % 2 else None, "postal_code": f"690{i:02d}",
                      "city": ["Lyon", "Mâcon"][i % 2]}
            assert (await clients.post("/clients", json=person)).status_code == 201
            clock.advance(timedelta(days=[0, 31, 300][i % 3]))
        assert {word["created_year"] for word in words_by_year(clients_db)} == {2021, 2022, 2023, 2024}
        await same_pages_every_way(clients, monkeypatch, sort)


async def same_pages_every_way(clients, monkeypatch, sort):

    async def pages(q, mode):
        ids, cursor = [], None
        while True:
            params = {"q": q, "phone_mode": mode, "sort": sort, "limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await clients.get("/clients", params=params)).json()
            ids.extend(c["id"] for c in page["items"])
            if not (cursor := page["next_cursor"]):
                return ids

    by_index = [await pages(q, mode) for q, mode in QUERIES]
    with monkeypatch.context() as patched:
        patched.setattr(search_index, "RANKED", 1)
        by_index_yearly = [await pages(q, mode) for q, mode in QUERIES]
    monkeypatch.setattr(search_index, "INTERSECTED", 1)
    by_rarest_term = [await pages(q, mode) for q, mode in QUERIES]
    monkeypatch.setattr(search_index, "COMMON", 0)
    by_walking = [await pages(q, mode) for q, mode in QUERIES]
    assert by_index == by_index_yearly == by_rarest_term == by_walking
    assert [len(ids) for ids in by_index] == [8, 2, 6, 6, 6, 12, 8, 2, 12]


def words_by_year(url: str) -> list[dict]:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as db:
            rows = db.execute(text("SELECT w.created_year, w.created_at, c.created_at AS client_created_at "
                                   "FROM client_words w JOIN clients c ON c.id = w.client_id")).mappings().all()
    finally:
        engine.dispose()
    assert all(row["created_year"] == row["created_at"].astimezone(UTC).year for row in rows)
    return [dict(row) for row in rows]


def test_the_years_are_read_in_the_pages_order_from_the_cursors_by_doubling_groups():
    years = list(range(2016, 2027))
    assert list(search_index.year_groups(years, False, None)) == [
        [2016], [2017, 2018], [2019, 2020, 2021, 2022], [2023, 2024, 2025, 2026]]
    assert list(search_index.year_groups(years, True, 2020)) == [[2020], [2019, 2018], [2017, 2016]]
    assert list(search_index.year_groups(years, False, 2026)) == [[2026]]
    assert list(search_index.year_groups([], False, None)) == []


def test_the_clients_before_the_word_index_get_their_words(infra: Infra):
    url = infra.database_url(f"colo_{infra.namespace.rstrip('.')}_clients_words")
    drop_database(url)
    create_database(url)
    config = alembic_config("clients", url)
    command.upgrade(config, "55687821d687")
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as db:
            db.execute(text("""
                INSERT INTO clients (id, kind, last_name, address_lines, country, recipient_preference, disputed,
                    blocked, search_text, phone_digits, sort_name, version, created_at, updated_at)
                VALUES (gen_random_uuid(), 'private', 'Dupont', '{}', 'FR', 'client', false, false,
                    ' dupont lyon 0612345678', ' 0612345678', 'dupont', 1, now(), now()),
                    (gen_random_uuid(), 'private', 'Zoé', '{}', 'FR', 'client', false, false,
                    ' zoe', '', 'zoe', 1, now(), now())"""))
        command.upgrade(config, "e7a3c9d1f240")
        words = words_in_database(url)
    finally:
        engine.dispose()
        drop_database(url)
    codes = {word for found in words.values() for word in found if word.startswith("c000")}
    assert codes == {"c0000001", "c0000002"}, "the client codes are given before the words are derived"
    assert sorted(sorted(set(found) - codes) for found in words.values()) == [
        ["+0612345678", "0612345678", "dupont", "lyon"], ["zoe"]]


def test_the_clients_before_the_name_words_get_them(infra: Infra):
    url = infra.database_url(f"colo_{infra.namespace.rstrip('.')}_clients_names")
    drop_database(url)
    create_database(url)
    config = alembic_config("clients", url)
    command.upgrade(config, "e7a3c9d1f240")
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as db:
            db.execute(text("""
                INSERT INTO clients (id, kind, last_name, first_name, address_lines, postal_code, country,
                    recipient_preference, disputed, blocked, search_text, phone_digits, sort_name, version,
                    created_at, updated_at, client_code)
                VALUES ('0d6f2c1e-8a4b-4c3d-9e5f-6a7b8c9d0e1f', 'private', 'Dupont', 'Léa', '{"3 rue Martin"}',
                    '69003', 'FR', 'client', false, false, ' dupont lea 3 rue martin 69003', '', 'dupont', 1, now(),
                    now(), 'C0000001')"""))
        command.upgrade(config, "head")
        words = words_in_database(url)
    finally:
        engine.dispose()
        drop_database(url)
    (found,) = words.values()
    assert {"=dupont", "=lea", "dupont", "lea", "martin", "69003"} <= found and "=martin" not in found
