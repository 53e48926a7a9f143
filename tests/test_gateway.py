"""The gateway: nginx from ops/gateway's template, in front of the five services running as processes."""
import asyncio
import re
import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import yaml

from shared.testing import (
    GATEWAY_TEMPLATE,
    SERVICES,
    GatewayProcess,
    Platform,
    ServiceProcess,
    auth,
    eventually,
    free_port,
    nginx_binary,
)

ROOT = Path(__file__).resolve().parents[1]
needs_nginx = pytest.mark.skipif(nginx_binary() is None,
                                 reason="no nginx binary: `make install` installs it (ops/sysdeps.sh)")
pytestmark = pytest.mark.e2e
GENERATED_ID = re.compile(r"[0-9a-f]{32}")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
}


@pytest.fixture(scope="module")
async def gateway(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[GatewayProcess]:
    upstreams = {name: f"127.0.0.1:{process.port}" for name, process in platform.processes.items()}
    process = GatewayProcess(upstreams, tmp_path_factory.mktemp("gateway")).start()
    try:
        await process.wait_ready()
        yield process
    finally:
        process.stop()


@pytest.fixture
async def client(gateway: GatewayProcess) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        yield http


def assert_problem(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body == {"type": f"https://colo.dev/problems/{code}", "title": body["title"], "status": status,
                    "detail": body["detail"], "code": code}
    assert body["title"] and body["detail"]
    return body


async def handled(process: ServiceProcess, correlation_id: str) -> bool:
    """The service logged the request under this correlation id."""
    return any("request.handled" in line and correlation_id in line
               for line in process.log_path.read_text().splitlines())


async def listed_stays(process: ServiceProcess) -> float:
    """The service's count of GET /stays answered 200, from its /metrics."""
    async with httpx.AsyncClient() as http:
        metrics = (await http.get(f"{process.url}/metrics")).text
    lines = [line for line in metrics.splitlines() if line.startswith("colo_http_requests_total{")
             and 'method="GET"' in line and 'route="/stays"' in line and 'status="200"' in line]
    return float(lines[0].rsplit(" ", 1)[1]) if lines else 0.0


@needs_nginx
async def test_each_service_answers_under_its_prefix_and_its_own_errors_pass_unchanged(client, platform):
    for name in SERVICES:
        health = await client.get(f"/api/{name}/healthz")
        assert health.status_code == 200 and health.json()["service"] == name
    before = await listed_stays(platform.processes["stock"])
    stays = await client.get("/api/stock/stays", params={"limit": 1}, headers=auth())
    assert stays.status_code == 200 and "items" in stays.json()
    assert await listed_stays(platform.processes["stock"]) == before + 1, "counted under its route, not unmatched"
    missing = await client.get(f"/api/stock/stays/{uuid.uuid4()}", headers=auth())
    assert "No stay with id" in assert_problem(missing, 404, "not_found")["detail"]
    assert_problem(await client.get("/api/payments/charges"), 404, "not_found")


@needs_nginx
async def test_a_service_that_is_down_is_a_502_problem_with_retry_after(tmp_path):
    """Nothing listens behind the stock and web upstreams."""
    gateway = GatewayProcess({"stock": f"127.0.0.1:{free_port()}", "web": f"127.0.0.1:{free_port()}"},
                             tmp_path).start()
    try:
        await gateway.wait_ready()
        async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
            stays = await http.get("/api/stock/stays")
            home = await http.get("/")
    finally:
        gateway.stop()
    assert "stock" in assert_problem(stays, 502, "service_unavailable")["detail"]
    assert stays.headers["Retry-After"] == "5"
    assert_problem(home, 502, "service_unavailable")
    for header, value in SECURITY_HEADERS.items():
        assert stays.headers[header] == value


@needs_nginx
async def test_a_service_that_does_not_answer_in_time_is_a_504_problem(tmp_path):
    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()
        writer.close()

    silent = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    gateway = GatewayProcess({"web": f"127.0.0.1:{port}"}, tmp_path, read_timeout="1s").start()
    try:
        await gateway.wait_ready()
        async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
            slow = await http.get("/familles")
        assert_problem(slow, 504, "service_timeout")
    finally:
        gateway.stop()
        silent.close()
        await silent.wait_closed()


@needs_nginx
async def test_an_upstream_lists_its_replicas_and_one_that_is_down_is_skipped(platform, tmp_path):
    stock = platform.processes["stock"]
    down = f"127.0.0.1:{free_port()}"
    gateway = GatewayProcess({"stock": [down, f"127.0.0.1:{stock.port}"]}, tmp_path).start()
    try:
        await gateway.wait_ready()
        async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
            answers = [await http.get("/api/stock/stays", headers=auth()) for _ in range(4)]
        assert [a.status_code for a in answers] == [200] * 4

        async def tried_both() -> bool:
            return any(line["upstream"] == f"{down}, 127.0.0.1:{stock.port}" for line in gateway.access_log())

        await eventually(tried_both)
    finally:
        gateway.stop()


@needs_nginx
async def test_logins_and_password_resets_are_limited_per_address_with_a_429_problem(client):
    statuses = []
    while 429 not in statuses and len(statuses) < 30:
        login = await client.post("/api/identity/token", data={"grant_type": "password", "username": "x@example.fr",
                                                                "password": "y"})
        statuses.append(login.status_code)
    assert statuses[:6] == [400] * 6, "the first requests, within the burst, reach identity (wrong password: 400)"
    assert_problem(login, 429, "too_many_requests")
    assert login.headers["Retry-After"] == "6"
    for path, body in (("/api/identity/sign-ups", {}), ("/api/identity/password-resets", {"email": "x@example.fr"}),
                       ("/api/identity/email-verifications", {"email": "x@example.fr"}),
                       ("/api/clients/newsletter-subscriptions", {"email": "x@example.fr"})):
        assert_problem(await client.post(path, json=body), 429, "too_many_requests")


@needs_nginx
async def test_the_public_catalogue_is_read_without_a_token_and_limited_more_loosely(client):
    """Many requests at once, as a burst of clicks: the first 50 go through, then the rate says no."""
    answers = []
    while not any(a.status_code == 429 for a in answers) and len(answers) < 600:
        answers += await asyncio.gather(*(client.get("/api/stock/catalogue/departures") for _ in range(100)))
    statuses = [a.status_code for a in answers]
    assert statuses.count(200) >= 50, "a burst of 50 reaches stock, which answers without a token"
    refused = next(a for a in answers if a.status_code == 429)
    assert_problem(refused, 429, "too_many_requests")
    assert refused.headers["Retry-After"] == "1"
    assert (await client.get("/api/stock/stays", headers=auth())).status_code == 200, "other routes are not limited"
    for _ in range(3):
        assert (await client.get("/api/stock/departures", headers=auth())).status_code == 200, \
            "nor the back office's departures"


@needs_nginx
async def test_uploads_take_a_document_and_other_routes_refuse_more_than_a_megabyte(client):
    too_big_json = await client.post("/api/stock/stays", headers={**auth(), "Content-Type": "application/json"},
                                     content=b'{"title": "' + b"x" * (2 * 1024 * 1024) + b'"}')
    assert_problem(too_big_json, 413, "request_too_large")

    five_mib = b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 - 9)
    upload = await client.post(f"/api/orders/orders/{uuid.uuid4()}/documents", headers=auth(),
                               files={"file": ("fiche.pdf", five_mib, "application/pdf")})
    assert "No order with id" in assert_problem(upload, 404, "not_found")["detail"], "orders read it"
    oversized = await client.post(f"/api/orders/orders/{uuid.uuid4()}/documents", headers=auth(),
                                  files={"file": ("fiche.pdf", five_mib + b"0" * 2 * 1024 * 1024, "application/pdf")})
    assert_problem(oversized, 413, "request_too_large")

    big_import = await client.post("/api/clients/client-imports", headers=auth(),
                                   files={"file": ("clients.csv", b"0" * (5 * 1024 * 1024 + 1), "text/csv")})
    assert_problem(big_import, 413, "file_too_large")  # clients' own answer: the gateway let 5 MiB through


@needs_nginx
async def test_the_callers_request_id_is_the_services_correlation_id_and_comes_back(client, gateway, platform):
    stock = platform.processes["stock"]
    sent = f"test-{uuid.uuid4()}"
    answer = await client.get("/api/stock/stays", headers={**auth(), "X-Request-ID": sent})
    assert answer.status_code == 200
    assert answer.headers["X-Request-ID"] == sent
    assert "X-Correlation-ID" not in answer.headers
    await eventually(lambda: handled(stock, sent))

    async def access_line() -> dict | None:
        return next((line for line in gateway.access_log() if line["correlation_id"] == sent), None)

    line = await eventually(access_line)
    assert line["method"] == "GET" and line["path"] == "/api/stock/stays" and line["status"] == 200
    assert line["upstream"] == f"127.0.0.1:{stock.port}" and line["upstream_status"] == "200"
    assert line["request_bytes"] > 0 and line["response_bytes"] > 0 and line["seconds"] >= 0
    assert "limit=" not in str(line), "the query string may name a person: it is not logged"

    for insane in (None, "a b<script>", "x" * 129):
        headers = auth() if insane is None else {**auth(), "X-Request-ID": insane}
        answer = await client.get("/api/stock/stays", headers=headers)
        generated = answer.headers["X-Request-ID"]
        assert GENERATED_ID.fullmatch(generated), generated
        await eventually(lambda: handled(stock, generated))


@needs_nginx
async def test_security_headers_and_gzip(client):
    health = await client.get("/api/billing/healthz")
    for header, value in SECURITY_HEADERS.items():
        assert health.headers[header] == value
    assert "camera=()" in health.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in health.headers, "HSTS only where TLS is terminated"
    spec = await client.get("/api/billing/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert spec.headers["Content-Encoding"] == "gzip" and spec.json()["info"]["title"]
    assert "Content-Encoding" not in (await client.get("/api/billing/openapi.json",
                                                       headers={"Accept-Encoding": "identity"})).headers


@needs_nginx
async def test_the_docs_work_through_the_gateway_and_directly(client, platform):
    docs = await client.get("/api/orders/docs")
    assert docs.status_code == 200 and "'/api/orders/openapi.json'" in docs.text
    assert "https://cdn.jsdelivr.net" in docs.headers["Content-Security-Policy"], "Swagger UI may load"
    spec = await client.get("/api/orders/openapi.json")
    assert spec.json()["servers"] == [{"url": "/api/orders"}] and "/orders" in spec.json()["paths"]

    async with httpx.AsyncClient(base_url=platform.processes["orders"].url) as direct:
        docs = await direct.get("/docs")
        assert "'/openapi.json'" in docs.text
        assert "servers" not in (await direct.get("/openapi.json")).json()
        forged = await direct.get("/docs", headers={"X-Forwarded-Prefix": "/x'</script><script>alert(1)//"})
        assert "'/openapi.json'" in forged.text and "alert" not in forged.text


def template_variables() -> set[str]:
    return set(re.findall(r"\$\{(COLO_GATEWAY_\w+)\}", GATEWAY_TEMPLATE.read_text()))


@needs_nginx
def test_make_up_renders_a_configuration_nginx_accepts(tmp_path):
    """ops/common.sh's gateway_config, as make up calls it, then `nginx -t` on the result."""
    script = f'source ops/common.sh && gateway_config {tmp_path}/nginx.conf && ' \
             f'"$NGINX" -t -q -p {tmp_path}/ -c nginx.conf -e stderr -g "$GATEWAY_DIRECTIVES"'
    checked = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    rendered = (tmp_path / "nginx.conf").read_text()
    assert "${COLO_GATEWAY_" not in rendered and "listen 127.0.0.1:8080;" in rendered
    assert "server 127.0.0.1:8006;" in rendered and "server 127.0.0.1:8007;" in rendered


def test_compose_runs_the_same_template_with_every_variable():
    gateway = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["gateway"]
    assert gateway["image"].startswith("nginx:")
    assert "./ops/gateway/nginx.conf.template:/etc/nginx/templates/nginx.conf.template:ro" in gateway["volumes"]
    environment = gateway["environment"]
    assert environment["NGINX_ENVSUBST_OUTPUT_DIR"] == "/etc/nginx"
    assert template_variables() <= set(environment), "every variable of the template is given"
    assert set(SERVICES) <= set(gateway["depends_on"])
    for name in SERVICES:
        assert f"server {name}:" in environment[f"COLO_GATEWAY_UPSTREAM_{name.upper()}"]
    assert "8080:8080" in gateway["ports"]
