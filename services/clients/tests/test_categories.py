"""Client categories (seed 002): a list operators create and delete, chosen on client records."""
import uuid

from shared.testing import auth


async def test_a_record_takes_a_configured_category_spelled_as_configured(clients, samples):
    vip = await clients.post("/categories", json={"name": " VIP "})
    assert vip.status_code == 201 and vip.json()["name"] == "VIP"
    assert (await clients.post("/categories", json={"name": "vip"})).json()["code"] == "category_exists"
    assert (await clients.post("/categories", json={"name": ""})).status_code == 422
    assert (await clients.post("/categories", json={"name": "Écoles"}, headers=auth("accountant"))).status_code == 403

    client = await samples.make_client(clients, category="vip")
    assert client["category"] == "VIP"
    unknown = await clients.patch(f"/clients/{client['id']}", json={"category": "Platine"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "body.category"
    assert (await clients.get(f"/clients/{client['id']}")).json()["category"] == "VIP"
    assert [c["display_name"] for c in (await clients.get("/clients", params={"category": "VIP"})).json()["items"]] \
        == [client["display_name"]]

    in_use = await clients.delete(f"/categories/{vip.json()['id']}")
    assert in_use.status_code == 409 and in_use.json()["code"] == "category_in_use"
    assert (await clients.patch(f"/clients/{client['id']}", json={"category": None})).json()["category"] is None
    assert (await clients.delete(f"/categories/{vip.json()['id']}")).status_code == 204
    assert (await clients.get("/categories")).json()["items"] == []
    assert (await clients.delete(f"/categories/{uuid.uuid4()}")).status_code == 404
