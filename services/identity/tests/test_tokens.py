"""The OAuth2 token endpoint: logins, rotating refresh tokens, revocation, lockout, services' tokens, and the keys
that check what it signs."""
import base64
from datetime import timedelta

import jwt

from shared.auth import KeySet, TokenVerifier
from shared.testing import TEST_KEY, auth

from .conftest import PASSWORD, SERVICE_SECRET, log_in, make_user

ADMIN = auth("admin")


async def test_a_login_gives_a_short_lived_eddsa_token_that_any_service_checks_with_the_published_keys(identity):
    user = await make_user(identity, ADMIN, permissions=["health_data"])
    response = await log_in(identity)
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 600 and body["refresh_token"]

    jwks = (await identity.get("/.well-known/jwks.json")).json()
    assert jwks == {"keys": [TEST_KEY.jwk]} and "d" not in jwks["keys"][0]
    header = jwt.get_unverified_header(body["access_token"])
    assert header == {"alg": "EdDSA", "kid": TEST_KEY.kid, "typ": "JWT"}
    principal = await TokenVerifier(KeySet.static(jwks), "colo-identity", "colo").verify(body["access_token"])
    assert (principal.sub, principal.role, principal.perms, principal.email) == (
        user["id"], "operator", ["health_data"], "claire@colo.local")
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 600 and claims["iss"] == "colo-identity" and claims["aud"] == "colo"

    me = await identity.get("/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() == {"sub": user["id"], "email": "claire@colo.local", "name": "Claire Dupont",
                         "role": "operator", "perms": ["health_data"], "client_id": None, "guardian_id": None}


async def test_a_wrong_password_or_an_unknown_login_is_the_same_refusal(identity):
    await make_user(identity, ADMIN)
    for email, password in (("claire@colo.local", "not the password"), ("nobody@colo.local", PASSWORD)):
        refused = await log_in(identity, email, password)
        assert refused.status_code == 400
        assert refused.json()["code"] == "invalid_credentials" and refused.json()["error"] == "invalid_grant"
    missing = await identity.post("/token", data={"grant_type": "password", "username": "claire@colo.local"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "body.password"


async def test_a_refresh_token_works_once_and_its_reuse_ends_the_whole_session(identity):
    await make_user(identity, ADMIN)
    first = (await log_in(identity)).json()["refresh_token"]
    renewed = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": first})
    assert renewed.status_code == 200
    second = renewed.json()["refresh_token"]
    assert second != first and renewed.json()["access_token"]

    stolen = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": first})
    assert stolen.status_code == 400 and stolen.json()["code"] == "refresh_token_reused"
    owner = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": second})
    assert owner.status_code == 400 and owner.json()["code"] == "refresh_token_revoked"


async def test_revoking_a_refresh_token_or_logging_out_ends_the_session(identity):
    await make_user(identity, ADMIN)
    refresh = (await log_in(identity)).json()["refresh_token"]
    assert (await identity.post("/revoke", data={"token": refresh})).status_code == 200
    assert (await identity.post("/revoke", data={"token": "never-issued"})).status_code == 200
    again = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": refresh})
    assert again.json()["code"] == "refresh_token_revoked"

    tokens = (await log_in(identity)).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert len((await identity.get("/me/sessions", headers=bearer)).json()["items"]) == 1
    assert (await identity.post("/logout", headers=bearer)).status_code == 204
    ended = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert ended.json()["code"] == "refresh_token_revoked"
    assert (await identity.get("/me/sessions", headers=bearer)).json()["items"] == []


async def test_repeated_failures_lock_the_account_for_a_while_even_against_the_right_password(identity, clock):
    await make_user(identity, ADMIN)
    for _ in range(3):
        assert (await log_in(identity, password="guess")).status_code == 400
    locked = await log_in(identity)
    assert locked.status_code == 429 and locked.json()["code"] == "account_locked"
    assert 890 <= int(locked.headers["retry-after"]) <= 901
    clock.advance(timedelta(minutes=15, seconds=1))
    assert (await log_in(identity)).status_code == 200
    assert (await log_in(identity, password="guess")).status_code == 400  # counting starts again after a success
    assert (await log_in(identity)).status_code == 200


async def test_a_service_gets_a_token_with_its_own_client_secret_and_nothing_else(identity):
    form = {"grant_type": "client_credentials", "client_id": "orders", "client_secret": SERVICE_SECRET}
    given = await identity.post("/token", data=form)
    assert given.status_code == 200 and "refresh_token" not in given.json()
    claims = jwt.decode(given.json()["access_token"], options={"verify_signature": False})
    assert (claims["sub"], claims["role"], claims["azp"]) == ("service:orders", "service", "orders")

    basic = base64.b64encode(f"orders:{SERVICE_SECRET}".encode()).decode()
    by_basic = await identity.post("/token", data={"grant_type": "client_credentials"},
                                   headers={"Authorization": f"Basic {basic}"})
    assert by_basic.status_code == 200
    for client_id, secret in (("orders", "wrong"), ("stock", SERVICE_SECRET)):
        refused = await identity.post("/token", data={**form, "client_id": client_id, "client_secret": secret})
        assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"


async def test_discovery_names_the_endpoints_and_the_public_ones_need_no_token(identity):
    config = (await identity.get("/.well-known/openid-configuration")).json()
    assert config["issuer"] == "colo-identity"
    assert config["jwks_uri"] == "http://test/.well-known/jwks.json"
    assert config["token_endpoint"] == "http://test/token"
    assert set(config["grant_types_supported"]) == {"password", "refresh_token", "client_credentials"}
    assert (await identity.get("/userinfo")).status_code == 401
