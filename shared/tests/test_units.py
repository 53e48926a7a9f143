"""Money, clocks, cursors and tokens: the pure parts of the backbone."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError

from shared.auth import Principal, decode_token, issue_token
from shared.clock import FrozenClock, OffsetFileClock, SystemClock, clock_from
from shared.money import NARROW_NBSP, Money, format_eur, from_cents, quantize, to_cents
from shared.pagination import decode_cursor, encode_cursor
from shared.problems import Problem, install_problem_handlers


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


def test_tokens_are_checked_for_secret_and_expiry():
    clock = FrozenClock(datetime.now(UTC))
    principal = Principal(sub="ops@colo", role="operator", perms=["health_data"])
    token = issue_token("s" * 32, clock, timedelta(minutes=5), principal)
    assert decode_token("s" * 32, token) == principal
    with pytest.raises(Problem) as wrong_secret:
        decode_token("t" * 32, token)
    assert (wrong_secret.value.status, wrong_secret.value.code) == (401, "invalid_token")
    clock.advance(timedelta(minutes=-10))
    expired = issue_token("s" * 32, clock, timedelta(minutes=5), principal)
    with pytest.raises(Problem) as refused:
        decode_token("s" * 32, expired)
    assert refused.value.status == 401 and "expired" in refused.value.detail
    clock.advance(timedelta(days=14))  # a service whose demo clock was moved ahead still reaches the others
    assert decode_token("s" * 32, issue_token("s" * 32, clock, timedelta(minutes=5), principal)) == principal


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
        503, "database_unavailable", "1")
    assert lost.status_code == 503
    assert (broken.status_code, broken.json()["code"]) == (500, "internal_error")
