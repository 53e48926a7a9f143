"""httpx clients for queries to other services: timeouts, retries on connection errors, correlation and service token;
and how their answers read: a service that does not answer, or answers an error, is a 503 of ours."""
from datetime import timedelta
from typing import Any

import httpx

from shared.auth import Principal, issue_token
from shared.clock import SystemClock
from shared.logging import current_correlation_id
from shared.problems import Problem
from shared.settings import ServiceSettings


def service_client(base_url: str, settings: ServiceSettings) -> httpx.AsyncClient:
    async def sign(request: httpx.Request) -> None:
        """Signed with the real time, whatever the service's clock says: a token's life is wall time, and one
        dated by a demo clock moved ahead would stay valid that much longer."""
        principal = Principal(sub=f"service:{settings.service_name}", role="service")
        request.headers["Authorization"] = "Bearer " + issue_token(
            settings.jwt_secret.get_secret_value(), SystemClock(), timedelta(minutes=5), principal
        )
        if correlation_id := current_correlation_id():
            request.headers["X-Correlation-ID"] = correlation_id

    return httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(settings.http_timeout_seconds, connect=min(2.0, settings.http_timeout_seconds)),
        transport=httpx.AsyncHTTPTransport(retries=3),
        event_hooks={"request": [sign]},
    )


class Refused(Exception):
    """The other service refused the query's parameters with one of the statuses the caller named."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


async def get_json(client: httpx.AsyncClient, path: str, service: str, params: dict[str, Any] | None = None,
                   refused: tuple[int, ...] = ()) -> dict[str, Any] | None:
    """The body of a 200, None for a 404, `Refused` for the statuses named; anything else is a 503."""
    try:
        response = await client.get(path, params=params)
    except httpx.HTTPError as error:
        raise _unavailable(service, "did not answer") from error
    if response.status_code in refused:
        raise Refused(response.status_code, response.json().get("detail", response.text))
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise _unavailable(service, f"answered {response.status_code}")
    return response.json()


async def every_item(client: httpx.AsyncClient, path: str, service: str, params: dict[str, Any],
                     cursor: str | None = None) -> list[dict[str, Any]]:
    """The items of every page of a list (`items`, `next_cursor`), from the cursor's if one is given, in as large
    pages as the API allows."""
    items: list[dict[str, Any]] = []
    while True:
        page = await get_json(client, path, service, {**params, "limit": 200, **({"cursor": cursor} if cursor else {})})
        if page is None:
            raise _unavailable(service, "answered 404")
        items.extend(page["items"])
        if not (cursor := page["next_cursor"]):
            return items


def _unavailable(service: str, what: str) -> Problem:
    return Problem(503, "dependency_unavailable", "Service unavailable",
                   f"The {service} service {what}; try again shortly.")
