"""The services' APIs, called through the gateway with the signed-in user's own token: the web application holds
no data and no authority of its own."""
from typing import Any

import httpx

from web.sessions import Session


class SignInRequired(Exception):
    """No token, or one that identity no longer renews: the user must log in again."""


class Unavailable(Exception):
    """A service does not answer, or answers with a failure of its own (5xx)."""

    def __init__(self, service: str) -> None:
        super().__init__(service)
        self.service = service


class Refusal(Exception):
    """A 4xx the page shows to the user: its message, and the fields it names (for 422s)."""

    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = {}
        self.code: str = body.get("code", "")
        self.detail: str = body.get("detail") or body.get("title") or response.reason_phrase
        self.fields: dict[str, str] = {
            str(error.get("field", "")).split(".")[-1]: error.get("message", "") for error in body.get("errors", [])}
        super().__init__(self.detail)


class Services:
    def __init__(self, api_url: str, timeout: float, service_urls: dict[str, str] | None = None) -> None:
        self.http = httpx.AsyncClient(timeout=timeout)
        self.api_url = api_url.rstrip("/")
        self.service_urls = {name: url.rstrip("/") for name, url in (service_urls or {}).items()}

    async def close(self) -> None:
        await self.http.aclose()

    async def public(self, method: str, service: str, path: str, **options: Any) -> httpx.Response:
        """A call without a token (login, sign-up, the public catalogue)."""
        return await self._send(method, service, path, None, **options)

    async def call(self, session: Session, method: str, service: str, path: str, **options: Any) -> httpx.Response:
        """With the user's token, renewed once with its refresh token when it has expired. A 4xx is returned for
        the caller to show; 401 means logging in again."""
        if session.access_token is None:
            raise SignInRequired()
        response = await self._send(method, service, path, session.access_token, **options)
        if response.status_code == 401 and await self._renew(session):
            response = await self._send(method, service, path, session.access_token, **options)
        if response.status_code == 401:
            raise SignInRequired()
        return response

    async def json(self, session: Session, service: str, path: str, **params: Any) -> Any:
        """A GET whose answer the page needs: any refusal is raised."""
        response = await self.call(session, "GET", service, path, params={k: v for k, v in params.items()
                                                                          if v is not None})
        if response.status_code >= 400:
            raise Refusal(response)
        return response.json()

    async def _renew(self, session: Session) -> bool:
        if not session.refresh_token:
            return False
        answer = await self._send("POST", "identity", "/token", None, data={
            "grant_type": "refresh_token", "refresh_token": session.refresh_token})
        if answer.status_code != 200:
            return False
        tokens = answer.json()
        session.signed_in(tokens["access_token"], tokens.get("refresh_token") or session.refresh_token)
        return True

    async def _send(self, method: str, service: str, path: str, token: str | None, **options: Any) -> httpx.Response:
        headers = dict(options.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            base = self.service_urls.get(service) or f"{self.api_url}/{service}"
            response = await self.http.request(method, f"{base}{path}", headers=headers, **options)
        except httpx.HTTPError as error:
            raise Unavailable(service) from error
        if response.status_code >= 500:
            raise Unavailable(service)
        return response
