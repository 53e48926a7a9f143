"""Every route of orders, read from its OpenAPI document so that a new route is covered without editing this test: a
front-office token gets 403 wherever its role is not declared (`x-front-office`), even on its own order, and 404 on
another client's order wherever it is."""
import uuid

from shared.auth import FRONT_OFFICE_EXTENSION, FRONT_OFFICE_ROLES
from shared.testing import BusSpy, auth

from .test_documents import PDF
from .test_front_office import family_of, hold

BODIES = {
    ("post", "/orders/{order_id}/documents"): {"data": {"code": "health_form"},
                                               "files": {"file": ("fiche.pdf", PDF, "application/pdf")}},
    ("put", "/orders/{order_id}/additional-information"): {"json": {"text": "Il a peur du noir."}},
    ("post", "/orders/{order_id}/payment-sessions"): {"json": {"purpose": "deposit"}},
}
"""A valid body for the front-office routes that need one: a stranger must meet the ownership check, not a 422."""
NOT_ABOUT_ONE_ORDER = {("post", "/orders"), ("get", "/orders"), ("get", "/reseller-accounts/{reseller_id}")}
"""Front-office routes whose ownership is shown by test_front_office.py: booking for another client, listing, the
reseller's account."""


def operations(schema: dict) -> list[tuple[str, str, dict]]:
    """Every operation that needs a token (the public ones, health and docs, declare no security)."""
    return [(method, path, operation) for path, item in schema["paths"].items()
            for method, operation in item.items() if operation.get("security")]


def url_of(path: str, operation: dict, order_id: str) -> str:
    values = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            name = parameter["name"]
            integer = parameter["schema"].get("type") == "integer"
            values[name] = order_id if name == "order_id" else "1" if integer else str(uuid.uuid4())
    return path.format(**values)


async def test_front_office_tokens_get_403_off_their_routes_and_404_on_another_client_s_order(
        orders, directory, bus: BusSpy):
    departure, family, stranger = directory.add_departure(), directory.add_family(), directory.add_family()
    order = (await orders.post("/orders", headers=family_of(family), json={
        "departure_id": str(departure.id), "participant_ids": [str(p) for p in family.participants]})).json()
    await hold(orders, bus, order)
    schema = (await orders.get("/openapi.json")).json()
    checked = operations(schema)
    assert len(checked) > 50

    for method, path, operation in checked:
        declared = operation.get(FRONT_OFFICE_EXTENSION, [])
        assert set(declared) <= set(FRONT_OFFICE_ROLES), (method, path)
        url = url_of(path, operation, order["id"])
        for role in FRONT_OFFICE_ROLES:
            if role in declared:
                continue
            owner = auth(role, client_id=str(family.id))
            answer = await orders.request(method.upper(), url, headers=owner)
            assert answer.status_code == 403, (role, method, path, answer.text)
        if not declared or (method, path) in NOT_ABOUT_ONE_ORDER:
            continue
        assert "{order_id}" in path, f"{method} {path}: show that a stranger's token cannot reach another's data"
        for role in declared:
            other = auth(role, client_id=str(stranger.id))
            answer = await orders.request(method.upper(), url, headers=other, **BODIES.get((method, path), {}))
            assert answer.status_code == 404 and answer.json()["code"] == "not_found", (role, method, path,
                                                                                        answer.text)
    assert (await orders.get(f"/orders/{order['id']}")).json()["status"] == "option"  # no stranger changed it
