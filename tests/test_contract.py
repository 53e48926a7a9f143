"""Every endpoint of every service, from its own OpenAPI document: a token is required, bad input is a 4xx."""
import re
import uuid

import httpx
import pytest

from shared.testing import auth

pytestmark = pytest.mark.e2e
OPEN = {"/healthz", "/readyz", "/metrics"}
PUBLIC = {
    "identity": {"/token", "/revoke", "/password-resets", "/sign-ups", "/email-verifications", "/.well-known/jwks.json",
                 "/.well-known/openid-configuration"},
    "clients": {"/newsletter-subscriptions"},
}
"""How one gets a token, checks one, signs up or chooses a password before having one; the newsletter sign-up."""
SIGNED = {("orders", "/webhooks/stripe")}
"""The payment provider's notifications: the signature authenticates them, not a token; unsigned, they are a 400."""
CATALOGUE = {"/catalogue/departures", "/catalogue/departures/{departure_id}"}
"""Stock's public catalogue, the only business route read without a token (limited per address at the gateway)."""
GARBAGE_BODIES = [None, {}, {"unexpected": [1, {"deep": None}]}, [], "text", 12]


def operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def concrete(path, value):
    return re.sub(r"\{[^}]+\}", value, path)


def wrong_types(operation, spec):
    """A body whose every declared property has the wrong type."""
    ref = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" not in ref:
        return None
    schema = spec["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
    return {name: [{"wrong": True}] for name in schema.get("properties", {})}


async def test_no_endpoint_but_health_metrics_and_the_catalogue_answers_without_a_token(platform):
    async with httpx.AsyncClient(timeout=30) as http:
        for service, process in platform.processes.items():
            spec = (await http.get(f"{process.url}/openapi.json")).json()
            for path, method, _ in operations(spec):
                response = await http.request(method, process.url + concrete(path, str(uuid.uuid4())))
                if path in OPEN:
                    assert response.status_code == 200, (service, path)
                elif path in PUBLIC.get(service, ()):
                    assert response.status_code in (200, 422), (service, method, path, response.status_code)
                elif (service, path) in SIGNED:
                    assert response.status_code == 400, (service, method, path, response.status_code)
                    assert response.json()["code"] == "invalid_signature"
                elif service == "stock" and path in CATALOGUE:
                    assert response.status_code in (200, 404), (service, method, path, response.status_code)
                else:
                    assert response.status_code == 401, (service, method, path, response.status_code)
                    assert response.headers["content-type"] == "application/problem+json"


async def test_bad_input_on_every_endpoint_is_a_clear_4xx_never_a_500(platform):
    async with httpx.AsyncClient(timeout=30, headers=auth("admin")) as http:
        for service, process in platform.processes.items():
            spec = (await http.get(f"{process.url}/openapi.json")).json()
            for path, method, operation in operations(spec):
                takes_nothing = not operation.get("parameters") and "requestBody" not in operation  # a run now
                if path in OPEN or takes_nothing or (service == "identity" and path.startswith("/.well-known/")):
                    continue  # nothing to get wrong in them
                params = {p["name"]: "\u0000%%bad" for p in operation.get("parameters", []) if p["in"] == "query"}
                bodies = GARBAGE_BODIES + [wrong_types(operation, spec)] if method in ("POST", "PATCH", "PUT") \
                    else [None]
                for identifier in ("not-an-id", str(uuid.uuid4())):
                    for body in bodies:
                        response = await http.request(method, process.url + concrete(path, identifier),
                                                      params=params or None, json=body)
                        assert 400 <= response.status_code < 500, (service, method, path, body, response.text)
                        problem = response.json()
                        assert problem["code"] and problem["detail"], (service, path, problem)
