"""Promo codes: configured by operators, applied once per order, uses counted in the order's own transaction."""
import asyncio
import uuid

ETE = {"code": "ete27", "kind": "percent", "value": "10", "valid_from": "2027-02-01", "valid_until": "2027-06-30",
       "max_uses": 2}


async def book(orders, directory, code):
    client = directory.add_family()
    departure = directory.add_departure()
    return await orders.post("/orders", json={"client_id": str(client.id), "departure_id": str(departure.id),
                                              "participant_ids": [str(p) for p in client.participants],
                                              "promo_code": code})


async def test_an_operator_configures_codes_and_bad_ones_are_refused_clearly(orders):
    created = await orders.post("/promo-codes", json=ETE)
    assert created.status_code == 201, created.text
    code = created.json()
    assert (code["code"], code["value"], code["uses"]) == ("ETE27", "10.00", 0)
    again = await orders.post("/promo-codes", json={**ETE, "code": "Ete27"})
    assert again.status_code == 409 and again.json()["code"] == "promo_code_exists"
    for wrong in ({"value": "101"}, {"valid_until": "2027-01-01"}, {"kind": "gift"}, {"value": "0"},
                  {"code": "ÉTÉ 27"}, {"max_uses": 0}):
        refused = await orders.post("/promo-codes", json={**ETE, "code": "OTHER", **wrong})
        assert refused.status_code == 422, wrong
    winter = await orders.post("/promo-codes", json={"code": "HIVER", "kind": "amount", "value": "50.00",
                                                     "valid_from": "2027-11-01"})
    valid = (await orders.get("/promo-codes", params={"valid_on": "2027-03-01"})).json()["items"]
    assert [c["code"] for c in valid] == ["ETE27"]
    changed = await orders.patch(f"/promo-codes/{winter.json()['id']}", json={"valid_until": "2027-10-01"})
    assert changed.status_code == 409 and changed.json()["code"] == "invalid_dates"
    assert (await orders.delete(f"/promo-codes/{winter.json()['id']}")).status_code == 204
    assert (await orders.get(f"/promo-codes/{winter.json()['id']}")).status_code == 404
    assert (await orders.get(f"/promo-codes/{uuid.uuid4()}")).status_code == 404


async def test_a_code_takes_its_amount_off_the_order_counts_its_use_and_stops_when_used_up(orders, directory):
    code = (await orders.post("/promo-codes", json=ETE)).json()
    first = await book(orders, directory, "ete27")
    assert first.status_code == 201, first.text
    order = first.json()
    assert order["promo_code"] == "ETE27"
    assert [(line["kind"], line["label"], line["amount"]) for line in order["lines"]][1:] == [
        ("promo_code", "Code promo ETE27", "-85.00")]
    assert order["total"] == "765.00" and order["summary"]["reductions"] == "-85.00"
    await orders.patch(f"/promo-codes/{code['id']}", json={"value": "50"})
    assert (await orders.get(f"/orders/{order['id']}")).json()["total"] == "765.00"  # frozen on the order
    assert (await book(orders, directory, "ETE27")).status_code == 201
    used_up = await book(orders, directory, "ETE27")
    assert used_up.status_code == 409 and used_up.json()["code"] == "promo_code_used_up"
    assert (await orders.get(f"/promo-codes/{code['id']}")).json()["uses"] == 2
    lowered = await orders.patch(f"/promo-codes/{code['id']}", json={"max_uses": 1})
    assert lowered.status_code == 409 and lowered.json()["code"] == "max_uses_below_uses"
    deleted = await orders.delete(f"/promo-codes/{code['id']}")
    assert deleted.status_code == 409 and deleted.json()["code"] == "promo_code_used"


async def test_a_code_outside_its_dates_is_refused(orders, directory):
    await orders.post("/promo-codes", json={**ETE, "code": "LATER", "valid_from": "2027-04-01"})
    refused = await book(orders, directory, "LATER")
    assert refused.status_code == 409 and refused.json()["code"] == "promo_code_not_yet_valid"
    assert "01/04/2027" in refused.json()["detail"]


async def test_the_last_use_of_a_code_goes_to_one_order_only_when_two_book_at_once(orders, directory):
    code = (await orders.post("/promo-codes", json={**ETE, "code": "LAST", "max_uses": 1})).json()
    answers = await asyncio.gather(*(book(orders, directory, "LAST") for _ in range(4)))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
    assert (await orders.get(f"/promo-codes/{code['id']}")).json()["uses"] == 1
