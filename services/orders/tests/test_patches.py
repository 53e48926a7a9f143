"""Every PATCH of orders reads its body one way: a field left out keeps its value, null clears only what may be
empty, and anywhere else null is a 422 naming the field (it was a 500 on a promo code's value)."""
from shared.testing import BusSpy

from .test_orders_api import optioned
from .test_payments_api import payer


async def patched_resources(orders, directory, bus):
    """Each PATCH route with one resource to change: its fields that may be null and those that may not."""
    code = (await orders.post("/promo-codes", json={"code": "ETE27", "kind": "percent", "value": "10",
                                                    "valid_from": "2027-02-01", "valid_until": "2027-06-30",
                                                    "max_uses": 5})).json()
    order = await optioned(orders, directory, bus)
    payment = (await orders.post(f"/orders/{order['id']}/payments", json={
        "amount": "100.00", "method": "cheque", "label": "M. Martin", "bank": "La Poste",
        "participant_id": order["participants"][0]["participant_id"], "note": "Chèque n° 12"})).json()
    caf = await payer(orders)
    return [
        (f"/promo-codes/{code['id']}", ("valid_from", "valid_until", "max_uses"), ("value",)),
        (f"/orders/{order['id']}/payments/{payment['id']}", ("participant_id", "received_on"),
         ("amount", "label", "bank", "note")),
        (f"/third-party-payers/{caf['id']}", ("email",), ("name", "address", "active")),
    ]


async def read(orders, path):
    """The resource as a GET shows it (a payment within its order's list)."""
    if "/payments/" not in path:
        return (await orders.get(path)).json()
    collection, _, payment_id = path.rpartition("/")
    return next(p for p in (await orders.get(collection)).json()["items"] if p["id"] == payment_id)


async def test_null_is_refused_naming_the_field_where_a_value_is_required_and_changes_nothing(
        orders, directory, bus: BusSpy):
    for path, _, required in await patched_resources(orders, directory, bus):
        before = await read(orders, path)
        for name in required:
            refused = await orders.patch(path, json={name: None})
            assert refused.status_code == 422, (path, name, refused.text)
            assert refused.json()["errors"][0]["field"] == f"body.{name}"
            assert name in refused.json()["detail"]
        assert await read(orders, path) == before


async def test_null_clears_what_may_be_empty_and_a_field_left_out_keeps_its_value(orders, directory, bus: BusSpy):
    for path, clearable, required in await patched_resources(orders, directory, bus):
        before = await read(orders, path)
        cleared = await orders.patch(path, json=dict.fromkeys(clearable))
        assert cleared.status_code == 200, (path, cleared.text)
        assert all(cleared.json()[name] is None for name in clearable)
        assert all(cleared.json()[name] == before[name] for name in required)


async def test_the_openapi_schema_offers_null_only_where_it_is_accepted(orders):
    schemas = (await orders.get("/openapi.json")).json()["components"]["schemas"]
    for model, clearable, required in (("PromoCodePatch", ("valid_from", "valid_until", "max_uses"), ("value",)),
                                       ("PaymentChange", ("participant_id", "received_on"),
                                        ("amount", "label", "bank", "note")),
                                       ("PayerChange", ("email",), ("name", "address", "active"))):
        properties = schemas[model]["properties"]
        assert all({"type": "null"} in properties[name]["anyOf"] for name in clearable), model
        assert all("null" not in str(properties[name]) for name in required), model
