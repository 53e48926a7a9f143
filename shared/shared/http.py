"""httpx clients for queries to other services: timeouts, retries on connection errors, correlation and service token."""
from datetime import timedelta

import httpx

from shared.auth import Principal, issue_token
from shared.clock import Clock
from shared.logging import current_correlation_id
from shared.settings import ServiceSettings


def service_client(base_url: str, settings: ServiceSettings, clock: Clock) -> httpx.AsyncClient:
    async def sign(request: httpx.Request) -> None:
        principal = Principal(sub=f"service:{settings.service_name}", role="service")
        request.headers["Authorization"] = "Bearer " + issue_token(
            settings.jwt_secret, clock, timedelta(minutes=5), principal
        )
        if correlation_id := current_correlation_id():
            request.headers["X-Correlation-ID"] = correlation_id

    return httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(settings.http_timeout_seconds, connect=min(2.0, settings.http_timeout_seconds)),
        transport=httpx.AsyncHTTPTransport(retries=3),
        event_hooks={"request": [sign]},
    )
