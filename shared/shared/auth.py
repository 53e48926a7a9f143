"""Bearer tokens: issued by the identity service only, signed with its Ed25519 keys (EdDSA); every service checks
them with identity's public keys (its JWKS, a key chosen by the token's `kid`), so no service holds anything that
could mint a token.

Staff carry a role (admin, operator, accountant, manager); front-office accounts carry the role client,
legal_guardian or reseller and the client id they belong to; services calling each other use the role service.
Extra permissions (`health_data`, `supervision`) are listed in `perms`. How claims map to Colo's roles and
permissions is written here once (`claims_of`, `principal_from_claims`): another OpenID Connect provider can replace
identity by changing these two functions and the settings naming its JWKS, issuer and audience.
"""
import asyncio
import base64
import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, get_args
from uuid import UUID

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError

from shared.logging import log
from shared.problems import NotFound, Problem
from shared.settings import ServiceSettings

Role = Literal["admin", "operator", "accountant", "manager", "client", "legal_guardian", "reseller", "service"]
Permission = Literal["health_data", "supervision"]
STAFF_ROLES: tuple[Role, ...] = ("admin", "operator", "accountant", "manager")
FRONT_OFFICE_ROLES: tuple[Role, ...] = ("client", "legal_guardian", "reseller")
STAFF: tuple[Role, ...] = ("admin", "operator", "manager")
"""The staff roles that change things in the back office (the accountant reads)."""
READERS: tuple[Role, ...] = (*STAFF_ROLES, "service")
"""Who reads the back office's data: staff, and services asking each other."""
HOLDERS: tuple[Role, ...] = ("client", "reseller")
"""The front-office accounts that hold their client's record: a family's account holder, a reseller."""
PERMISSIONS: dict[str, str] = {
    "health_data": "Read and write participants' health data.",
    "supervision": "Approve what needs a supervisor (links between clients with a markup or discount).",
}
ALGORITHM = "EdDSA"
LEEWAY_SECONDS = 30
"""Clock skew tolerated between identity's machine and the verifier's."""

bearer = HTTPBearer(auto_error=False, description="An access token from identity: `make token` prints one.")


class Principal(BaseModel):
    sub: str
    role: Role
    client_id: str | None = None
    guardian_id: str | None = None
    perms: list[str] = []
    email: str | None = None
    name: str | None = None


def claims_of(principal: Principal) -> dict[str, Any]:
    """The claims that say who the token speaks for and what it may do."""
    return principal.model_dump(exclude_none=True)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    """Colo's principal from a verified token's claims: the one place that reads roles and permissions."""
    return Principal.model_validate({name: claims[name] for name in Principal.model_fields if name in claims})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SigningKey:
    """An Ed25519 private key, named by its RFC 7638 thumbprint (`kid`), so that every party computes the same name."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self.private = private
        raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public = {"crv": "Ed25519", "kty": "OKP", "x": _b64(raw)}
        self.kid = _b64(hashlib.sha256(json.dumps(self.public, separators=(",", ":"), sort_keys=True).encode()).digest())

    @classmethod
    def generate(cls) -> "SigningKey":
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, pem: bytes) -> "SigningKey":
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 private key")
        return cls(key)

    def pem(self) -> bytes:
        return self.private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption())

    @property
    def jwk(self) -> dict[str, str]:
        """The public half, as published in the JWKS."""
        return {**self.public, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private, algorithm=ALGORITHM, headers={"kid": self.kid})


def issue_token(key: SigningKey, issuer: str, audience: str, principal: Principal, issued_at: datetime,
                ttl: timedelta, **extra: Any) -> str:
    """An access token for the principal; `extra` adds claims of the issuer's own (session id, authorised party)."""
    return key.sign({**claims_of(principal), **extra, "iss": issuer, "aud": audience,
                     "iat": issued_at, "exp": issued_at + ttl})


def jwks_of(*keys: SigningKey) -> dict[str, list[dict[str, str]]]:
    return {"keys": [key.jwk for key in keys]}


class KeySet:
    """Identity's public keys by `kid`, cached. An unknown kid (a key just added) refetches the JWKS at once, but
    no more than once per `min_refetch_seconds` however many forged kids arrive; the whole set is refetched after
    `max_age_seconds`, so that a key identity removed stops being accepted."""

    def __init__(self, fetch: Callable[[], Awaitable[dict[str, Any]]] | None, document: dict[str, Any] | None = None,
                 max_age_seconds: float = 3600, min_refetch_seconds: float = 30) -> None:
        self._fetch, self._max_age, self._min_refetch = fetch, max_age_seconds, min_refetch_seconds
        self._keys: dict[str, jwt.PyJWK] = self._parse(document) if document is not None else {}
        self._refresh_at = 0.0
        """Monotonic time after which the whole set is fetched again."""
        self._refetch_after = 0.0
        """Monotonic time before which an unknown kid does not fetch again."""
        self._lock = asyncio.Lock()

    @classmethod
    def static(cls, document: dict[str, Any]) -> "KeySet":
        return cls(None, document)

    @classmethod
    def remote(cls, url: str, timeout: float, max_age_seconds: float, min_refetch_seconds: float) -> "KeySet":
        async def fetch() -> dict[str, Any]:
            async with httpx.AsyncClient(timeout=timeout) as client:
                response = await client.get(url)
                response.raise_for_status()
                return response.json()

        return cls(fetch, None, max_age_seconds, min_refetch_seconds)

    @staticmethod
    def _parse(document: dict[str, Any]) -> dict[str, jwt.PyJWK]:
        return {data["kid"]: jwt.PyJWK(data, ALGORITHM) for data in document.get("keys", [])
                if isinstance(data, dict) and data.get("kid") and data.get("kty") == "OKP"}

    async def get(self, kid: str) -> jwt.PyJWK | None:
        if self._fetch is None or (kid in self._keys and time.monotonic() < self._refresh_at):
            return self._keys.get(kid)
        async with self._lock:
            now = time.monotonic()
            if now >= self._refresh_at or (kid not in self._keys and now >= self._refetch_after):
                await self._refresh(now)
        return self._keys.get(kid)

    async def _refresh(self, now: float) -> None:
        assert self._fetch is not None
        self._refetch_after = now + self._min_refetch
        try:
            keys = self._parse(await self._fetch())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as error:
            if self._keys:
                self._refresh_at = now + self._min_refetch
                log.warning("auth.jwks_unavailable", error=str(error), using="the keys fetched before")
                return
            self._refresh_at = now + 1
            raise Problem(503, "identity_unavailable", "Service unavailable",
                          "Identity's public keys cannot be read now; try again shortly.") from error
        self._keys, self._refresh_at = keys, now + self._max_age


class TokenVerifier:
    """Checks a bearer token's signature with identity's keys, then its expiry, issuer and audience."""

    def __init__(self, keys: KeySet, issuer: str, audience: str) -> None:
        self.keys, self.issuer, self.audience = keys, issuer, audience

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> "TokenVerifier":
        if settings.jwks:
            keys = KeySet.static(json.loads(settings.jwks))
        else:
            keys = KeySet.remote(f"{settings.identity_url.rstrip('/')}/.well-known/jwks.json",
                                 min(5.0, settings.http_timeout_seconds), settings.jwks_max_age_seconds,
                                 settings.jwks_min_refetch_seconds)
        return cls(keys, settings.token_issuer, settings.token_audience)

    async def claims(self, token: str) -> dict[str, Any]:
        """The claims of a token whose signature, expiry, issuer and audience are right."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise _refused(error) from error
        if header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
            raise _refused(f"an {ALGORITHM} token naming its key (kid) is expected")
        key = await self.keys.get(header["kid"])
        if key is None:
            raise _refused("it is not signed by one of identity's keys")
        try:
            return jwt.decode(token, key.key, algorithms=[ALGORITHM], audience=self.audience, issuer=self.issuer,
                              leeway=LEEWAY_SECONDS, options={"require": ["exp", "iat", "sub", "iss", "aud"]})
        except jwt.PyJWTError as error:
            raise _refused(error) from error

    async def verify(self, token: str) -> Principal:
        claims = await self.claims(token)
        try:
            return principal_from_claims(claims)
        except ValidationError as error:
            raise _refused(error) from error


def _refused(reason: object) -> Problem:
    return Problem(401, "invalid_token", "Invalid token", f"The bearer token was refused: {reason}.")


def verifier_of(app: FastAPI) -> TokenVerifier:
    """The app's verifier, made from its settings on first use (identity sets its own, on its own keys)."""
    if getattr(app.state, "verifier", None) is None:
        app.state.verifier = TokenVerifier.from_settings(app.state.settings)
    return app.state.verifier


CURRENT_PRINCIPAL: ContextVar[Principal | None] = ContextVar("colo_principal", default=None)
"""Whom the request being served acts for, set when its token is checked."""


def acting(sub: str) -> Principal | None:
    """The request's principal when it is the one named `sub`: how a record written deep in a use case (a workflow
    line, a history entry) names who acted, with the name and e-mail of the token, though callers pass only the
    subject. None for the system (an event, a job) or anyone else."""
    principal = CURRENT_PRINCIPAL.get()
    return principal if principal is not None and principal.sub == sub else None


async def authenticated(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    if credentials is None:
        raise Problem(401, "missing_token", "Authentication required", "Send 'Authorization: Bearer <token>'.")
    principal = await verifier_of(request.app).verify(credentials.credentials)
    CURRENT_PRINCIPAL.set(principal)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(authenticated)]


def _forbidden(roles: tuple[Role, ...] | frozenset[Role]) -> Problem:
    return Problem(403, "forbidden", "Forbidden", f"This action needs one of the roles: {', '.join(sorted(roles))}.")


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise _forbidden(roles)
        return principal

    check.roles = frozenset(roles)  # type: ignore[attr-defined]  # what admitted_roles reads
    return check


FRONT_OFFICE_EXTENSION = "x-front-office"
"""The OpenAPI extension naming the front-office roles an operation is open to, on the caller's own data only (another
client's data answers 404, as if it did not exist). An operation that needs a token and does not carry it is for staff
and services alone: a front-office token gets 403 there."""


def front_office(*roles: Role) -> dict[str, Any]:
    """A route's `openapi_extra` declaring it open to these front-office roles besides staff (who checks the data is
    the caller's own is the route's business)."""
    if not roles or any(role not in FRONT_OFFICE_ROLES for role in roles):
        raise ValueError(f"front-office roles are {', '.join(FRONT_OFFICE_ROLES)}")
    return {FRONT_OFFICE_EXTENSION: list(roles)}


def own_client(*staff: Role, front_office: tuple[Role, ...] = HOLDERS) -> Callable[..., Principal]:
    """For a route whose path names a client (`{client_id}`): staff of the given roles, or a front-office account of
    that very client with one of the `front_office` roles. Any other front-office account is told that the client
    does not exist (404), whether it does or not, so that it never learns which ids are taken; a role left out, on
    its own client, is a 403. What a legal guardian may see within its client is the route's to narrow."""

    def check(client_id: UUID, principal: CurrentPrincipal) -> Principal:
        if principal.role in FRONT_OFFICE_ROLES:
            if principal.client_id != str(client_id):
                raise NotFound("client", client_id)
            if principal.role not in front_office:
                raise _forbidden((*staff, *front_office))
        elif principal.role not in staff:
            raise _forbidden((*staff, *front_office))
        return principal

    check.roles = frozenset((*staff, *front_office))  # type: ignore[attr-defined]
    return check


def ensure_owner(principal: Principal, owner_id: UUID, what: str, identifier: object) -> None:
    """A front-office account sees what belongs to another client as not existing at all (404)."""
    if principal.role in FRONT_OFFICE_ROLES and principal.client_id != str(owner_id):
        raise NotFound(what, identifier)


def client_scope(principal: Principal, client_id: UUID | None) -> UUID | None:
    """The client a listing is narrowed to: the one asked for by staff (None for every client), always its own for
    a front-office account; another client's id is unknown to it (404)."""
    if principal.role not in FRONT_OFFICE_ROLES:
        return client_id
    own = UUID(str(principal.client_id))
    if client_id is not None and client_id != own:
        raise NotFound("client", client_id)
    return own


def guardian_scope(principal: Principal) -> UUID | None:
    """The legal guardian a guardian's account is narrowed to within its client (its own record, the participants
    it answers for); None for every other account."""
    if principal.role != "legal_guardian":
        return None
    if principal.guardian_id is None:
        raise _forbidden(("legal_guardian",))
    return UUID(principal.guardian_id)


ALL_ROLES: frozenset[Role] = frozenset(get_args(Role))


def admitted_roles(dependant: Dependant) -> frozenset[Role] | None:
    """The roles a route (or a dependency) lets through, read from its dependencies: those `require_roles` and
    `own_client` name, every role for a bare `CurrentPrincipal` (the route checks by itself), None for a route that
    needs no token. This is how a route declares itself a front-office one: by naming front-office roles."""
    admitted: frozenset[Role] | None = None
    for dependency in dependant.dependencies:
        roles = getattr(dependency.call, "roles", None)
        if roles is None:
            roles = ALL_ROLES if dependency.call is authenticated else admitted_roles(dependency)
        if roles is not None:
            admitted = roles if admitted is None else admitted & roles
    return admitted


Staff = Annotated[Principal, Depends(require_roles(*STAFF))]
BackOffice = Annotated[Principal, Depends(require_roles(*READERS))]
Admin = Annotated[Principal, Depends(require_roles("admin"))]
