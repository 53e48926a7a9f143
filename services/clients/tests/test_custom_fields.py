"""Custom fields defined by the operator, and clients' values checked against their type."""
import uuid

import pytest

from clients.domain.custom_fields import Definition, new_definition, parse_value
from clients.domain.record import InvalidClient

HANDED = Definition(name="Latéralité", type="list", options=("Droitier", "Gaucher"))


@pytest.mark.parametrize("definition, raw, stored", [
    (Definition("Note", "text"), "  très sympa ", "très sympa"),
    (Definition("Fratrie", "number"), "3,5", "3.5"),
    (Definition("Fratrie", "number"), 2, "2"),
    (Definition("Adhésion", "date"), "2027-07-14", "2027-07-14"),
    (Definition("Ancien", "yes_no"), False, False),
    (HANDED, "Gaucher", "Gaucher"),
    (HANDED, "  ", None),
])
def test_values_are_stored_in_their_type(definition, raw, stored):
    assert parse_value(definition, raw) == stored


@pytest.mark.parametrize("definition, raw", [
    (Definition("Fratrie", "number"), "trois"), (Definition("Fratrie", "number"), True),
    (Definition("Fratrie", "number"), "NaN"), (Definition("Adhésion", "date"), "14/07/2027"),
    (Definition("Ancien", "yes_no"), "oui"), (HANDED, "Ambidextre"), (Definition("Note", "text"), 12),
])
def test_a_value_of_another_type_is_refused_with_what_is_expected(definition, raw):
    with pytest.raises(InvalidClient) as invalid:
        parse_value(definition, raw)
    assert invalid.value.errors[0].field == "value"


def test_a_list_needs_options_and_only_a_list_has_them():
    assert new_definition(Definition(" Latéralité ", "list", options=("Droitier", " Droitier", "", "Gaucher"))) == \
        Definition("Latéralité", "list", options=("Droitier", "Gaucher"))
    for wrong in (Definition("L", "list"), Definition("N", "number", options=("1",)), Definition(" ", "text")):
        with pytest.raises(InvalidClient):
            new_definition(wrong)


async def test_an_operator_defines_fields_in_order_and_fills_them_on_a_client(clients):
    handed = await clients.post("/custom-fields", json={"name": "Latéralité", "type": "list", "position": 2,
                                                        "options": ["Droitier", "Gaucher"]})
    assert handed.status_code == 201, handed.text
    siblings = (await clients.post("/custom-fields", json={"name": "Fratrie", "type": "number",
                                                           "position": 1})).json()
    taken = await clients.post("/custom-fields", json={"name": "fratrie", "type": "text"})
    assert taken.status_code == 409 and taken.json()["code"] == "custom_field_name_taken"
    first = (await clients.get("/custom-fields", params={"limit": 1})).json()
    second = (await clients.get("/custom-fields", params={"limit": 1, "cursor": first["next_cursor"]})).json()
    assert [f["name"] for f in first["items"] + second["items"]] == ["Fratrie", "Latéralité"]

    client = (await clients.post("/clients", json={"kind": "private", "last_name": "Martin"})).json()
    url = f"/clients/{client['id']}/custom-fields"
    wrong = await clients.put(f"{url}/{handed.json()['id']}", json={"value": "Ambidextre"})
    assert wrong.status_code == 422 and "Droitier, Gaucher" in wrong.json()["errors"][0]["message"]
    assert (await clients.put(f"{url}/{handed.json()['id']}", json={"value": "Gaucher"})).status_code == 200
    assert (await clients.put(f"{url}/{siblings['id']}", json={"value": "3"})).json()["value"] == "3"
    values = (await clients.get(url)).json()["items"]
    assert [(v["name"], v["value"]) for v in values] == [("Fratrie", "3"), ("Latéralité", "Gaucher")]

    in_use = await clients.patch(f"/custom-fields/{handed.json()['id']}", json={"options": ["Droitier"]})
    assert in_use.status_code == 409 and in_use.json()["code"] == "custom_field_option_in_use"
    retyped = await clients.patch(f"/custom-fields/{siblings['id']}", json={"type": "text"})
    assert retyped.status_code == 409 and retyped.json()["code"] == "custom_field_in_use"
    assert (await clients.put(f"{url}/{siblings['id']}", json={"value": None})).json()["value"] is None
    assert (await clients.patch(f"/custom-fields/{siblings['id']}", json={"type": "text"})).status_code == 200
    assert (await clients.put(f"{url}/{uuid.uuid4()}", json={"value": "x"})).status_code == 404
