"""Money, clocks, cursors and tokens: the pure parts of the backbone."""
import base64
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg
import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from shared.auth import (
    FRONT_OFFICE_EXTENSION,
    KeySet,
    Principal,
    SigningKey,
    TokenVerifier,
    front_office,
    issue_token,
    jwks_of,
)
from shared.clock import FrozenClock, OffsetFileClock, SystemClock, clock_from
from shared.money import NARROW_NBSP, Money, format_eur, from_cents, quantize, to_cents
from shared.pagination import decode_cursor, encode_cursor
from shared.problems import DomainError, Problem, install_problem_handlers, outage
from shared.settings import ServiceSettings


class Priced(BaseModel):
    amount: Money


@pytest.mark.parametrize(("raw", "rounded"), [
    ("2.345", "2.35"), ("2.344", "2.34"), ("0.005", "0.01"), ("-2.345", "-2.35"), ("1.125", "1.13"), (3, "3.00"),
])
def test_money_rounds_half_up_to_the_cent(raw, rounded):
    assert quantize(raw) == Decimal(rounded)
    assert str(quantize(raw)) == rounded


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        quantize(0.1)


def test_cents_round_trip():
    assert to_cents(Decimal("1234.505")) == 123451
    assert from_cents(123451) == Decimal("1234.51")
    assert str(from_cents(5)) == "0.05"


def test_money_fields_take_two_places_at_most_and_serialise_as_strings():
    assert Priced(amount="12.5").amount == Decimal("12.50")
    assert Priced(amount="12.5").model_dump(mode="json") == {"amount": "12.50"}
    for invalid in ("12.345", "NaN", "1e30", "not money"):
        with pytest.raises(ValidationError):
            Priced(amount=invalid)


def test_format_eur_is_french_with_narrow_no_break_spaces():
    assert format_eur(Decimal("1234.5")) == f"1{NARROW_NBSP}234,50 €"
    assert format_eur(Decimal("1234567.891")) == f"1{NARROW_NBSP}234{NARROW_NBSP}567,89 €"
    assert format_eur(Decimal("0")) == "0,00 €"
    assert format_eur(Decimal("-45.5")) == "-45,50 €"


def test_a_frozen_clock_moves_only_when_told():
    at = datetime(2027, 1, 1, tzinfo=UTC)
    clock = FrozenClock(at)
    assert clock.now() == clock.now() == at
    clock.advance(timedelta(days=2))
    assert clock.now() == at + timedelta(days=2)


def test_an_offset_file_clock_moves_with_its_file_at_once(tmp_path):
    path = tmp_path / "offset"
    clock = clock_from(path)
    assert isinstance(clock, OffsetFileClock)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(minutes=1)
    OffsetFileClock.set_offset(path, timedelta(days=30))
    assert timedelta(days=29) < clock.now() - datetime.now(UTC) < timedelta(days=31)
    OffsetFileClock.set_offset(path, timedelta(days=-2))
    assert timedelta(days=-3) < clock.now() - datetime.now(UTC) < timedelta(days=-1)
    path.unlink()
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(minutes=1)
    assert isinstance(clock_from(None), SystemClock)


def test_a_cursor_round_trips_and_a_forged_one_is_a_422():
    cursor = encode_cursor("2027-07-10T09:30:00+00:00", "b7f0c5a4-0000-4000-8000-000000000000")
    assert decode_cursor(cursor, 2) == ["2027-07-10T09:30:00+00:00", "b7f0c5a4-0000-4000-8000-000000000000"]
    for forged in ("not a cursor!", encode_cursor("only one"), "W1syXV0=", "e30=", "%%%"):
        with pytest.raises(Problem) as refused:
            decode_cursor(forged, 2)
        assert (refused.value.status, refused.value.code) == (422, "invalid_cursor")


def _verifier(*keys: SigningKey) -> TokenVerifier:
    return TokenVerifier(KeySet.static(jwks_of(*keys)), "colo-identity", "colo")


def _signed(key: SigningKey, principal: Principal, issued_at: datetime, issuer: str = "colo-identity",
            audience: str = "colo") -> str:
    return issue_token(key, issuer, audience, principal, issued_at, timedelta(minutes=5))


async def test_tokens_are_checked_for_signature_expiry_issuer_and_audience():
    key, forger, now = SigningKey.generate(), SigningKey.generate(), datetime.now(UTC)
    principal = Principal(sub="ops@colo", role="operator", perms=["health_data"], email="ops@colo.local")
    verifier = _verifier(key)
    assert await verifier.verify(_signed(key, principal, now)) == principal
    refusals = {
        "forged": _signed(forger, principal, now),
        "expired": _signed(key, principal, now - timedelta(minutes=10)),
        "issuer": _signed(key, principal, now, issuer="someone-else"),
        "audience": _signed(key, principal, now, audience="another-platform"),
        "hs256": jwt.encode({"sub": "x", "role": "admin", "exp": now + timedelta(hours=1)}, "s" * 32,
                            headers={"kid": key.kid}),
    }
    for case, token in refusals.items():
        with pytest.raises(Problem) as refused:
            await verifier.verify(token)
        assert (refused.value.status, refused.value.code) == (401, "invalid_token"), case
    assert "expired" in await _refusal(verifier, refusals["expired"])


async def _refusal(verifier: TokenVerifier, token: str) -> str:
    try:
        await verifier.verify(token)
    except Problem as problem:
        return problem.detail
    raise AssertionError("accepted")


def test_a_route_declares_its_front_office_roles_in_its_openapi_operation():
    app = FastAPI()

    @app.get("/orders/{order_id}", openapi_extra=front_office("client", "reseller"))
    async def one(order_id: str) -> None:
        """A route for the test."""

    operation = app.openapi()["paths"]["/orders/{order_id}"]["get"]
    assert operation[FRONT_OFFICE_EXTENSION] == ["client", "reseller"]
    for wrong in ((), ("operator",)):
        with pytest.raises(ValueError):
            front_office(*wrong)


def test_a_key_is_named_by_its_rfc_7638_thumbprint():
    """RFC 8037, appendix A.3: the thumbprint of its example Ed25519 key."""
    seed = base64.urlsafe_b64decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")
    key = SigningKey(Ed25519PrivateKey.from_private_bytes(seed))
    assert key.public["x"] == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    assert key.kid == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    assert SigningKey.from_pem(key.pem()).kid == key.kid


async def test_an_unknown_key_fetches_the_jwks_again_but_not_at_every_forged_kid():
    old, new = SigningKey.generate(), SigningKey.generate()
    published = [old]
    fetches = []

    async def fetch():
        fetches.append(1)
        return jwks_of(*published)

    verifier = TokenVerifier(KeySet(fetch, max_age_seconds=3600, min_refetch_seconds=3600), "colo-identity", "colo")
    principal, now = Principal(sub="ops", role="operator"), datetime.now(UTC)
    assert await verifier.verify(_signed(old, principal, now)) == principal
    assert await verifier.verify(_signed(old, principal, now)) == principal
    assert len(fetches) == 1
    published.append(new)
    with pytest.raises(Problem):
        await verifier.verify(_signed(new, principal, now))  # within the refetch interval: refused, not fetched
    assert len(fetches) == 1

    verifier = TokenVerifier(KeySet(fetch, max_age_seconds=3600, min_refetch_seconds=0), "colo-identity", "colo")
    published[:] = [old]
    assert await verifier.verify(_signed(old, principal, now)) == principal
    published.append(new)
    assert await verifier.verify(_signed(new, principal, now)) == principal  # a key just added is found at once
    assert len(fetches) == 3


async def test_identity_down_is_a_503_until_its_keys_are_known_then_the_cached_keys_serve():
    key = SigningKey.generate()
    up = [False]

    async def fetch():
        if not up[0]:
            raise httpx.ConnectError("refused")
        return jwks_of(key)

    verifier = TokenVerifier(KeySet(fetch, max_age_seconds=0, min_refetch_seconds=0), "colo-identity", "colo")
    token = _signed(key, Principal(sub="ops", role="operator"), datetime.now(UTC))
    with pytest.raises(Problem) as down:
        await verifier.verify(token)
    assert (down.value.status, down.value.code) == (503, "identity_unavailable")
    up[0] = True
    assert (await verifier.verify(token)).sub == "ops"
    up[0] = False
    assert (await verifier.verify(token)).sub == "ops"


class _DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


async def test_a_database_that_cannot_serve_now_is_a_503_to_retry_and_other_database_errors_a_500():
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/fails/{sqlstate}")
    async def fails(sqlstate: str) -> None:
        raise DBAPIError("SELECT 1", {}, _DriverError(sqlstate))

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                                 base_url="http://test") as client:
        too_many = await client.get("/fails/53300")
        lost = await client.get("/fails/08006")
        broken = await client.get("/fails/42P01")
    assert (too_many.status_code, too_many.json()["code"], too_many.headers["retry-after"]) == (
        503, "database_unavailable", "2")
    assert lost.status_code == 503
    assert (broken.status_code, broken.json()["code"]) == (500, "internal_error")


def _wrapped(cause: Exception) -> Exception:
    try:
        raise cause
    except Exception:
        try:
            raise RuntimeError("the handler gave up")  # raised while handling the cause: its __context__
        except RuntimeError as error:
            return error


def _invalid() -> ValidationError:
    try:
        Priced(amount="not money")
    except ValidationError as error:
        return error
    raise AssertionError("valid")


@pytest.mark.parametrize(("error", "code"), [
    (asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"), "database_unavailable"),
    (asyncpg.exceptions.CannotConnectNowError("the database system is starting up"), "database_unavailable"),
    (asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
     "database_unavailable"),
    (asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
     "database_unavailable"),
    (DBAPIError("SELECT 1", {}, _DriverError("53300")), "database_unavailable"),
    (DBAPIError("SELECT 1", {}, _DriverError("08006")), "database_unavailable"),
    (DBAPIError("SELECT 1", {}, Exception("connection is closed"), connection_invalidated=True), "database_unavailable"),
    (PoolTimeout("QueuePool limit of size 2 overflow 3 reached, connection timed out, timeout 3.00"),
     "database_unavailable"),
    (ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)"), "database_unavailable"),
    (OSError("Multiple exceptions: [Errno 111] Connect call failed, [Errno 99] Cannot assign requested address"),
     "database_unavailable"),
    (TimeoutError(), "database_unavailable"),
    (_wrapped(ConnectionResetError()), "database_unavailable"),
    (httpx.ConnectError("refused"), "dependency_unavailable"),
    (httpx.ReadTimeout("slow"), "dependency_unavailable"),
    (Problem(503, "dependency_unavailable", "Service unavailable", "stock answered 502"), "dependency_unavailable"),
])
def test_an_outage_of_the_database_or_another_service_is_told_apart_from_a_bug(error, code):
    down = outage(error)
    assert down is not None and (down.status, down.code, down.headers) == (503, code, {"Retry-After": "2"})


@pytest.mark.parametrize("error", [
    _invalid(),
    DomainError("order_closed", "The order is closed."),
    Problem(422, "unknown_client", "Unknown client", "No client with id 1."),
    DBAPIError("INSERT", {}, _DriverError("23505")),
    DBAPIError("SELECT", {}, _DriverError("42P01")),
    FileNotFoundError("template.html"),
    PermissionError("var/pdf"),
    KeyError("label"),
    RuntimeError("a bug"),
    _wrapped(KeyError("label")),
])
def test_a_failure_of_the_request_or_the_message_itself_is_no_outage(error):
    assert outage(error) is None


def test_a_refusal_raised_while_the_database_was_down_is_still_a_refusal():
    refusal = DomainError("order_closed", "The order is closed.")
    refusal.__context__ = ConnectionResetError()
    assert outage(refusal) is None


def test_a_plain_postgresql_url_from_a_mounted_secret_is_read_with_asyncpg(tmp_path, monkeypatch):
    """CloudNativePG's application secret holds `postgresql://...`: mounted as COLO_DATABASE_URL_FILE, it works."""
    uri = tmp_path / "uri"
    uri.write_text("postgresql://app:s3cret@colo-orders-db-rw.colo:5432/colo_orders\n")
    monkeypatch.setenv("COLO_DATABASE_URL_FILE", str(uri))
    assert ServiceSettings().database_url == "postgresql+asyncpg://app:s3cret@colo-orders-db-rw.colo:5432/colo_orders"
