"""httpx clients for queries to other services: timeouts, retries on connection errors, correlation and a service
token from identity; and how their answers read: a service that does not answer, or answers an error, is a 503 of
ours."""
import asyncio
import time
from typing import Any

import httpx

from shared.logging import current_correlation_id, log
from shared.problems import Problem, unavailable
from shared.settings import ServiceSettings

EARLY_RENEWAL_SECONDS = 60
"""A cached service token is renewed this long before it expires, so that it never expires on its way."""


class ServiceToken:
    """This service's access token, obtained from identity with the OAuth2 client_credentials grant (client id: the
    service's name, its secret from configuration) and cached until shortly before it expires."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> str:
        async with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                self._token, lifetime = await self._obtain()
                self._renew_at = time.monotonic() + max(lifetime - EARLY_RENEWAL_SECONDS, lifetime / 2)
            return self._token

    async def _obtain(self) -> tuple[str, float]:
        secret = self.settings.service_client_secret
        form = {"grant_type": "client_credentials", "client_id": self.settings.service_name,
                "client_secret": secret.get_secret_value() if secret else ""}
        try:
            async with httpx.AsyncClient(timeout=self.settings.http_timeout_seconds) as client:
                response = await client.post(f"{self.settings.identity_url.rstrip('/')}/token", data=form)
        except httpx.HTTPError as error:
            raise _unavailable("identity", "did not answer") from error
        if response.status_code != 200:
            log.error("http.service_token_refused", status=response.status_code, answer=response.text[:300])
            raise _unavailable("identity", f"refused this service's credentials ({response.status_code})")
        body = response.json()
        return body["access_token"], float(body["expires_in"])


def service_client(base_url: str, settings: ServiceSettings, token: ServiceToken | None = None) -> httpx.AsyncClient:
    token = token or ServiceToken(settings)

    async def sign(request: httpx.Request) -> None:
        request.headers["Authorization"] = "Bearer " + await token.get()
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
    return unavailable("dependency_unavailable", f"The {service} service {what}; try again shortly.")
