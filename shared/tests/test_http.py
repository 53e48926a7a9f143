"""The app factory and the HTTP conventions every service inherits: health, auth, problems, pagination."""
from datetime import UTC, datetime, timedelta

from shared.auth import Principal, SigningKey, issue_token
from shared.testing import AUDIENCE, ISSUER, TEST_KEY, auth, token

OPEN = {"/healthz", "/readyz", "/metrics"}
PROBLEM = "application/problem+json"


async def test_health_and_readiness_need_no_token_and_every_service_route_does(notebook):
    async with notebook.running() as client:
        anonymous = {"Authorization": ""}
        health = await client.get("/healthz", headers=anonymous)
        assert health.status_code == 200 and health.json() == {"status": "ok", "service": "notebook"}
        ready = await client.get("/readyz", headers=anonymous)
        assert ready.status_code == 200
        assert ready.json() == {"ready": True, "checks": {"database": True, "broker": True}}

        paths = (await client.get("/openapi.json", headers=anonymous)).json()["paths"]
        guarded = {(method, path) for path, item in paths.items() if path not in OPEN for method in item}
        assert guarded == {("get", "/notes"), ("post", "/notes")}
        for method, path in guarded:
            response = await client.request(method, path, headers=anonymous, json={"text": "x"})
            assert response.status_code == 401, (method, path)
            assert response.headers["content-type"] == PROBLEM
            assert response.json()["code"] == "missing_token"


async def test_bad_tokens_are_401_and_a_wrong_role_is_403_as_problem_details(notebook):
    async with notebook.running() as client:
        forged = token("operator", key=SigningKey.generate())
        response = await client.get("/notes", headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401 and response.json()["code"] == "invalid_token"
        assert response.headers["content-type"] == PROBLEM

        expired = issue_token(TEST_KEY, ISSUER, AUDIENCE, Principal(sub="ops", role="operator"),
                              datetime.now(UTC) - timedelta(minutes=5), timedelta(minutes=1))
        response = await client.get("/notes", headers={"Authorization": f"Bearer {expired}"})
        assert response.status_code == 401 and response.json()["code"] == "invalid_token"

        response = await client.get("/notes", headers=auth("client", client_id="c-1"))
        assert response.status_code == 403
        body = response.json()
        assert body["code"] == "forbidden" and body["status"] == 403
        assert set(body) >= {"type", "title", "status", "detail", "code"}


async def test_invalid_input_is_a_422_problem_naming_the_fields(notebook):
    async with notebook.running() as client:
        response = await client.post("/notes", json={"text": "", "refuse_after_emit": "maybe"})
        assert response.status_code == 422
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert problem["type"].endswith("/invalid_request") and problem["title"] and problem["status"] == 422
        assert problem["code"] == "invalid_request"
        assert {e["field"] for e in problem["errors"]} == {"body.text", "body.refuse_after_emit"}
        assert "body.text" in problem["detail"]


async def test_lists_page_with_an_opaque_cursor_and_refuse_a_forged_one(notebook):
    async with notebook.running() as client:
        created = [(await client.post("/notes", json={"text": f"note {i}"})).json()["id"] for i in range(5)]
        first = (await client.get("/notes", params={"limit": 2})).json()
        second = (await client.get("/notes", params={"limit": 2, "cursor": first["next_cursor"]})).json()
        third = (await client.get("/notes", params={"limit": 2, "cursor": second["next_cursor"]})).json()
        assert third["next_cursor"] is None
        seen = [n["id"] for page in (first, second, third) for n in page["items"]]
        assert sorted(seen) == sorted(created) and len(seen) == 5

        for forged in ("garbage", "WzEsIDJd", "WyJub3QgYSBkYXRlIiwgIngiXQ=="):
            response = await client.get("/notes", params={"cursor": forged})
            assert response.status_code == 422, forged
            assert response.json()["code"] == "invalid_cursor"
        too_big = await client.get("/notes", params={"limit": 1000})
        assert too_big.status_code == 422 and too_big.json()["errors"][0]["field"] == "query.limit"
