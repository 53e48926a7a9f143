"""The app factory and the HTTP conventions every service inherits: health, auth, problems, pagination; a 503 with
Retry-After, never a 500 nor a long wait, when the database or another service cannot serve."""
import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from shared.auth import Principal, SigningKey, issue_token
from shared.testing import AUDIENCE, ISSUER, TEST_KEY, auth, eventually, running, token

OPEN = {"/healthz", "/readyz", "/metrics"}
PROBLEM = "application/problem+json"


async def test_health_and_readiness_need_no_token_and_every_service_route_does(notebook):
    async with notebook.running() as client:
        anonymous = {"Authorization": ""}
        health = await client.get("/healthz", headers=anonymous)
        assert health.status_code == 200 and health.json() == {
            "status": "ok", "service": "notebook", "broker": {"connected": True},
            "consumer": {"consuming": True, "outage": False}}
        ready = await client.get("/readyz", headers=anonymous)
        assert ready.status_code == 200
        assert ready.json() == {"ready": True, "checks": {"database": True}}

        paths = (await client.get("/openapi.json", headers=anonymous)).json()["paths"]
        guarded = {(method, path) for path, item in paths.items() if path not in OPEN for method in item}
        assert guarded == {("get", "/notes"), ("post", "/notes"), ("get", "/troubles/bug"), ("get", "/troubles/remote")}
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


async def test_a_request_while_the_database_refuses_connections_is_a_503_to_retry(notebook, postgres_proxy):
    async with notebook.running(database_url=notebook.database_through(postgres_proxy)) as client:
        assert (await client.get("/notes")).status_code == 200
        await postgres_proxy.cut()
        for request in (client.get("/notes"), client.post("/notes", json={"text": "during the outage"})):
            response = await request
            assert response.status_code == 503
            assert response.headers["content-type"] == PROBLEM and response.headers["retry-after"] == "2"
            assert response.json()["code"] == "database_unavailable"
        assert (await client.get("/readyz")).status_code == 503
        await postgres_proxy.restore()
        await eventually(lambda: _status_is(client, "/readyz", 200))
        assert (await client.post("/notes", json={"text": "after the outage"})).status_code == 201


async def test_a_request_finding_every_pool_connection_busy_is_a_503_after_a_bounded_wait(notebook):
    app = notebook.app(db_connections=3, db_pool_timeout_seconds=0.5)
    async with running(app) as client:
        async with app.state.sessions() as first, app.state.sessions() as second:
            await first.connection()
            await second.connection()
            async with asyncio.timeout(10):
                response = await client.get("/notes")
        assert response.status_code == 503
        assert response.json()["code"] == "database_unavailable" and response.headers["retry-after"] == "2"
        assert (await client.get("/notes")).status_code == 200


async def test_metrics_answer_while_every_pool_connection_is_busy(notebook):
    app = notebook.app(db_connections=3, db_pool_timeout_seconds=30)
    async with running(app) as client:
        async with app.state.sessions() as first, app.state.sessions() as second:
            await first.connection()
            await second.connection()
            async with asyncio.timeout(10):
                response = await client.get("/metrics")
    assert response.status_code == 200 and 'colo_broker_connected{service="notebook"} 1.0' in response.text


async def test_another_service_down_is_a_503_with_retry_after(notebook):
    async with notebook.running() as client:
        response = await client.get("/troubles/remote")
    assert response.status_code == 503 and response.headers["retry-after"] == "2"
    assert response.json()["code"] == "dependency_unavailable"
    assert "remote service did not answer" in response.json()["detail"]


async def test_an_unexpected_error_is_a_500_counted_and_correlated_like_any_answer(notebook):
    async with notebook.running() as client:
        response = await client.get("/troubles/bug", headers={"X-Correlation-ID": "corr-bug"})
        assert response.status_code == 500 and response.headers["content-type"] == PROBLEM
        assert response.json()["code"] == "internal_error" and "a bug" not in response.text
        assert response.headers["X-Correlation-ID"] == "corr-bug"
        metrics = (await client.get("/metrics")).text
    assert 'colo_http_requests_total{method="GET",route="/troubles/bug",service="notebook",status="500"} 1.0' in metrics


async def _status_is(client, path: str, status: int) -> bool:
    return (await client.get(path)).status_code == status


async def test_a_process_holds_no_more_connections_than_its_budget_and_closes_the_extra_ones(notebook):
    """COLO_DB_CONNECTIONS bounds the pool and the relay's LISTEN connection together; past a burst, only
    COLO_DB_POOL_SIZE pool connections stay open."""
    counts: list[int] = []

    async def sample(stop: asyncio.Event) -> None:
        while not stop.is_set():
            counts.append(await _connections_of(notebook))
            await asyncio.sleep(0.01)

    async with notebook.running(db_connections=4, db_pool_size=1) as client:
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample(stop))
        responses = await asyncio.gather(*(client.post("/notes", json={"text": f"n{i}"}) for i in range(40)))
        stop.set()
        await sampler
        assert [r.status_code for r in responses] == [201] * 40
        assert max(counts) <= 4, counts
        await eventually(lambda: _connections_are(notebook, 1 + 1), timeout=10)


async def _connections_of(notebook) -> int:
    return await notebook.scalar(text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'notebook'"))


async def _connections_are(notebook, count: int) -> bool:
    return await _connections_of(notebook) == count
