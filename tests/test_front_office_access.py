"""Front-office tokens (a family's account holder, a legal guardian, a reseller) are refused (403) by every route of
every service that is not declared for them. Each service's OpenAPI lists, per operation, the roles its dependencies
admit (`x-roles`, from shared.auth.admitted_roles): a route declares itself a front-office one by naming front-office
roles there, and every other route, a new staff route included, is tried here without editing this test. Within
the declared routes, each service's tests show that one family's token finds nothing of another's (404)."""
import re
import uuid

import httpx
import pytest

from shared.auth import FRONT_OFFICE_ROLES
from shared.testing import auth

pytestmark = pytest.mark.e2e


def operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


async def test_every_route_not_declared_for_front_office_accounts_refuses_their_tokens(platform):
    client_id = str(uuid.uuid4())
    tokens = {role: auth(role, client_id=client_id, guardian_id=str(uuid.uuid4()) if role == "legal_guardian" else None)
              for role in FRONT_OFFICE_ROLES}
    tried, let_through = {}, []
    async with httpx.AsyncClient(timeout=30) as http:
        for service, process in platform.processes.items():
            spec = (await http.get(f"{process.url}/openapi.json")).json()
            tried[service] = 0
            for path, method, operation in operations(spec):
                if "x-roles" not in operation:
                    continue  # no token needed: health, metrics, identity's logins, the catalogue (test_contract.py)
                url = process.url + re.sub(r"\{[^}]+\}", client_id, path)
                for role in set(FRONT_OFFICE_ROLES) - set(operation["x-roles"]):
                    response = await http.request(method, url, headers=tokens[role])
                    tried[service] += 1
                    if response.status_code != 403:
                        let_through.append((service, method, path, role, response.status_code))
    assert not let_through
    assert all(tried.values()), tried


async def test_the_front_office_routes_are_those_declared(platform):
    """What front-office accounts may call, service by service, as the OpenAPI documents say: a change here is a
    change of what families and resellers reach, to be made on purpose (with its test of ownership)."""
    declared = set()
    async with httpx.AsyncClient(timeout=30) as http:
        for service, process in platform.processes.items():
            spec = (await http.get(f"{process.url}/openapi.json")).json()
            declared |= {(service, method, path, role) for path, method, operation in operations(spec)
                         for role in set(FRONT_OFFICE_ROLES) & set(operation.get("x-roles", ()))}
    families = {(service, method, path) for service, method, path, role in declared if role == "client"}
    assert {("billing", "GET", "/invoices/{invoice_id}/pdf"), ("billing", "GET", "/credit-notes"),
            ("clients", "PATCH", "/clients/{client_id}/profile"),
            ("clients", "PUT", "/clients/{client_id}/participants/{participant_id}/health"),
            ("clients", "GET", "/clients/{client_id}/export")} <= families
    assert ("stock", "GET", "/resellers/{client_id}/departures", "reseller") in declared
    assert not {(service, method, path) for service, method, path, _ in declared if service == "notifications"}
