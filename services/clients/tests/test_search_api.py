"""The client search window through the API, on real PostgreSQL: words, accents, phones, filters, sort, pages."""
import pytest

from shared.pagination import encode_cursor
from shared.testing import auth

PEOPLE = [
    {"kind": "private", "last_name": "Dupont", "first_name": "Hélène", "email": "helene@example.org",
     "landline": "05.56.57.58.59", "address_lines": ["3 cours Lafayette"], "postal_code": "69003", "city": "Lyon"},
    {"kind": "private", "last_name": "Dupont", "first_name": "Marc", "email": "marc.dupont@example.org",
     "mobile": "+33 6 12 34 56 78", "postal_code": "33000", "city": "Bordeaux"},
    {"kind": "private", "last_name": "Élise", "first_name": "Zoé", "mobile": "07 56 57 11 22",
     "postal_code": "01000", "city": "Bourg-en-Bresse"},
    {"kind": "professional", "company_name": "Comité d'entreprise Durand", "email": "ce@durand.fr",
     "postal_code": "75011", "city": "Paris"},
]


async def found(clients, **params):
    response = await clients.get("/clients", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return [c["display_name"] for c in response.json()["items"]]


@pytest.fixture
async def people(clients):
    created = []
    for person in PEOPLE:
        response = await clients.post("/clients", json=person)
        assert response.status_code == 201, response.text
        created.append(response.json())
    return created


async def test_words_in_any_order_over_every_field(clients, people):
    assert await found(clients, q="dupont 69003") == ["DUPONT Hélène"]
    assert await found(clients, q="69003 DUPONT") == ["DUPONT Hélène"]
    assert await found(clients, q="lafayette") == ["DUPONT Hélène"]
    assert await found(clients, q="bordeaux marc") == ["DUPONT Marc"]
    assert await found(clients, q="durand.fr") == ["Comité d'entreprise Durand"]
    assert await found(clients, q="01000") == ["ÉLISE Zoé"]
    assert await found(clients, q=people[1]["id"]) == ["DUPONT Marc"]
    assert await found(clients, q="dupont lyon bordeaux") == []


async def test_accents_and_case_are_ignored_both_ways(clients, people):
    assert await found(clients, q="helene") == ["DUPONT Hélène"]
    assert await found(clients, q="HÉLÈNE") == ["DUPONT Hélène"]
    assert await found(clients, q="elise zoe") == ["ÉLISE Zoé"]
    assert await found(clients, q="comite") == ["Comité d'entreprise Durand"]


async def test_each_word_is_the_start_of_a_token_as_typed(clients, people):
    assert await found(clients, q="dup hél") == ["DUPONT Hélène"]
    assert await found(clients, q="bourg bre") == ["ÉLISE Zoé"]
    assert await found(clients, q="upont") == []


@pytest.mark.parametrize("typed", ["0556575859", "05.56.57.58.59", "05 56 57 58 59", "+33 5 56 57 58 59",
                                   "+33556575859", "05 56 57", "0556"])
async def test_a_phone_is_found_whatever_its_format(clients, people, typed):
    assert await found(clients, q=typed) == ["DUPONT Hélène"]


async def test_a_phone_stored_in_international_form_is_found_in_national_form(clients, people):
    assert await found(clients, q="06 12 34") == ["DUPONT Marc"]
    assert await found(clients, q="dupont 0612") == ["DUPONT Marc"]


async def test_phone_mode_contains_finds_digits_anywhere_in_a_number(clients, people):
    assert await found(clients, q="565758") == []
    assert await found(clients, q="565758", phone_mode="contains") == ["DUPONT Hélène"]
    assert await found(clients, q="5657", phone_mode="contains", sort="last_name") == ["DUPONT Hélène", "ÉLISE Zoé"]
    assert await found(clients, q="5657", phone_mode="starts_with") == []
    assert (await clients.get("/clients", params={"phone_mode": "fuzzy"})).status_code == 422


async def test_dormant_clients_are_hidden_unless_asked(clients, people):
    dormant = await clients.patch(f"/clients/{people[0]['id']}", json={"dormant": True})
    assert dormant.status_code == 200 and dormant.json()["dormant"] is True
    assert await found(clients, q="dupont") == ["DUPONT Marc"]
    assert len(await found(clients)) == 3
    assert sorted(await found(clients, q="dupont", include_dormant="true")) == ["DUPONT Hélène", "DUPONT Marc"]
    assert (await clients.get(f"/clients/{people[0]['id']}")).json()["dormant"] is True


async def test_filters_by_kind_type_disputed_and_blocked(clients, people):
    client_type = (await clients.post("/client-types", json={"name": "CE", "kind": "professional"})).json()
    await clients.patch(f"/clients/{people[3]['id']}", json={"client_type_id": client_type["id"]})
    await clients.patch(f"/clients/{people[1]['id']}", json={"disputed": True})
    await clients.patch(f"/clients/{people[2]['id']}", json={"blocked": True})
    assert await found(clients, kind="professional") == ["Comité d'entreprise Durand"]
    assert await found(clients, client_type_id=client_type["id"]) == ["Comité d'entreprise Durand"]
    assert await found(clients, disputed="true") == ["DUPONT Marc"]
    assert await found(clients, blocked="true") == ["ÉLISE Zoé"]
    assert len(await found(clients, blocked="false")) == 3
    assert await found(clients, q="dupont", disputed="false") == ["DUPONT Hélène"]


async def test_sort_by_name_postal_code_or_creation_either_way(clients, people):
    by_name = ["Comité d'entreprise Durand", "DUPONT Hélène", "DUPONT Marc", "ÉLISE Zoé"]
    assert (await found(clients, sort="last_name"))[::3] == by_name[::3]
    assert (await found(clients, sort="-last_name"))[::3] == by_name[::-1][::3]
    assert await found(clients, sort="postal_code") == ["ÉLISE Zoé", "DUPONT Marc", "DUPONT Hélène",
                                                        "Comité d'entreprise Durand"]
    assert await found(clients, sort="-postal_code") == ["Comité d'entreprise Durand", "DUPONT Hélène",
                                                         "DUPONT Marc", "ÉLISE Zoé"]
    created = [p["display_name"] for p in people]
    assert await found(clients) == created
    assert await found(clients, sort="-created_at") == created[::-1]
    assert (await clients.get("/clients", params={"sort": "city"})).status_code == 422


@pytest.mark.parametrize("sort", ["last_name", "-last_name", "postal_code", "-postal_code", "created_at",
                                  "-created_at"])
async def test_pages_follow_each_other_without_overlap_or_gap(clients, sort):
    for i in range(7):
        postal_code = None if i % 3 == 0 else f"6900{i % 3}"
        response = await clients.post("/clients", json={"kind": "private", "last_name": "Martin" if i % 2 else "Petit",
                                                        "first_name": f"N{i}", "postal_code": postal_code})
        assert response.status_code == 201
    everyone = await found(clients, sort=sort)
    pages, cursor = [], None
    while True:
        params = {"limit": 3, "sort": sort, **({"cursor": cursor} if cursor else {})}
        page = (await clients.get("/clients", params=params)).json()
        pages.extend(c["display_name"] for c in page["items"])
        if not (cursor := page["next_cursor"]):
            break
    assert pages == everyone and len(set(pages)) == 7


async def test_a_cursor_of_another_sort_or_forged_is_a_422(clients, people):
    page = (await clients.get("/clients", params={"limit": 1, "sort": "last_name"})).json()
    other = await clients.get("/clients", params={"cursor": page["next_cursor"], "sort": "created_at"})
    assert other.status_code == 422 and other.json()["code"] == "invalid_cursor"
    assert (await clients.get("/clients", params={"cursor": "garbage"})).status_code == 422
    for forged in (["created_at", "2020-01-01", str(people[0]["id"])], ["postal_code", "69\u0000", "x"],
                   ["created_at", "yesterday", str(people[0]["id"])]):
        response = await clients.get("/clients", params={"cursor": encode_cursor(*forged),
                                                         "sort": forged[0]})
        assert response.status_code in (200, 422), response.text


async def test_like_wildcards_typed_are_plain_characters(clients, people):
    assert await found(clients, q="d_pont") == []
    assert await found(clients, q="dup%") == ["DUPONT Hélène", "DUPONT Marc"]
    assert await found(clients, q="o'brien") == []


@pytest.mark.parametrize("typed", ["%%", "%", "_", "'", '"', " % _ ' ", "''"])
async def test_a_query_of_punctuation_alone_is_refused_not_taken_for_no_query(clients, people, typed):
    for field in ("q", "keywords"):
        response = await clients.get("/clients", params={field: typed})
        assert response.status_code == 422, (field, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [f"query.{field}"]
        assert "punctuation" in response.json()["detail"]
    assert len(await found(clients, q="   ")) == 4, "a blank query is no query"
    assert (await clients.get("/clients", params={"q": "dupont"}, headers=auth("accountant"))).status_code == 200


async def make(clients, **person):
    response = await clients.post("/clients", json={"kind": "private", **person})
    assert response.status_code == 201, response.text
    return response.json()["display_name"]


async def test_a_search_sorts_by_relevance_then_by_creation(clients):
    street = await make(clients, last_name="Martin", first_name="Paul", address_lines=["12 rue Dupont"],
                        postal_code="69003", city="Lyon")
    longer = await make(clients, last_name="Dupontel", first_name="Léo", postal_code="69003", city="Lyon")
    dupont = await make(clients, last_name="Dupont", first_name="Anne", postal_code="69003", city="Lyon")
    named_later = await make(clients, last_name="Dupont", first_name="Marc", postal_code="69003", city="Lyon")
    assert await found(clients, q="dupont 69003") == [dupont, named_later, longer, street], \
        "the name before the address, the whole word before a longer one, then the oldest first"
    assert await found(clients, q="dupont") == [dupont, named_later, longer, street]
    assert await found(clients, q="dupon") == [longer, dupont, named_later, street], "a word's start ranks alike"
    assert await found(clients, q="paul") == [street]
    assert await found(clients, q="dupont", sort="created_at") == [street, longer, dupont, named_later]
    assert (await found(clients, q="dupont", sort="last_name"))[2:] == [longer, street]


async def test_relevance_pages_follow_each_other_and_keep_their_sort(clients):
    for i in range(7):
        await make(clients, last_name="Dupont" if i % 2 else "Martin", first_name=f"N{i}",
                   address_lines=["rue Dupont"] if i % 3 else [])
    everyone = await found(clients, q="dupont")
    pages, cursor = [], None
    while True:
        page = (await clients.get("/clients", params={"q": "dupont", "limit": 2,
                                                      **({"cursor": cursor} if cursor else {})})).json()
        pages.extend(c["display_name"] for c in page["items"])
        if not (cursor := page["next_cursor"]):
            break
    assert pages == everyone and len(everyone) == 5 and everyone[:3] == ["DUPONT N1", "DUPONT N3", "DUPONT N5"]
    first = (await clients.get("/clients", params={"q": "dupont", "limit": 2})).json()
    other = await clients.get("/clients", params={"q": "dupont", "sort": "created_at", "cursor": first["next_cursor"]})
    assert other.status_code == 422 and other.json()["code"] == "invalid_cursor"
