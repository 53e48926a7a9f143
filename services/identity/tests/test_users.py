"""Staff users managed by admins: creation with a mailed link, roles and permissions, disabling, sessions, and the
account events that go out through the outbox."""
from datetime import timedelta

import pyotp

from shared import events
from shared.testing import BusSpy, auth

from .conftest import PASSWORD, log_in, make_user

ADMIN = auth("admin")


def bearer(response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_only_an_admin_manages_users(identity):
    for role in ("operator", "manager", "accountant", "service"):
        response = await identity.get("/users", headers=auth(role))
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert (await identity.get("/users")).status_code == 401


async def test_a_user_created_without_a_password_chooses_it_with_the_single_use_link_mailed(identity, bus: BusSpy):
    created = await identity.post("/users", headers=ADMIN, json={
        "email": "Paul.Durand@colo.local", "display_name": "Paul Durand", "role": "accountant"})
    assert created.status_code == 201
    user = created.json()
    assert (user["role"], user["active"], user["password_set"], user["second_factor"]) == (
        "accountant", True, False, False)
    announced = await bus.wait_for(events.AccountCreated, account_id=user["id"])
    assert announced.data["email"] == "Paul.Durand@colo.local" and announced.data["active"] is True
    link = await bus.wait_for(events.AccountPasswordResetRequested, account_id=user["id"])
    assert link.data["new_account"] is True and link.data["email"] == "Paul.Durand@colo.local"
    assert (await log_in(identity, "paul.durand@colo.local")).status_code == 400

    short = await identity.post("/password-resets", json={"token": link.data["token"], "password": "short"})
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "body.password"
    chosen = await identity.post("/password-resets", json={"token": link.data["token"], "password": PASSWORD})
    assert chosen.status_code == 204
    assert (await log_in(identity, "PAUL.DURAND@colo.local")).status_code == 200
    again = await identity.post("/password-resets", json={"token": link.data["token"], "password": "another one!!"})
    assert again.status_code == 409 and again.json()["code"] == "reset_token_invalid"
    await bus.wait_for(events.AccountPasswordChanged, account_id=user["id"])

    duplicate = await identity.post("/users", headers=ADMIN, json={
        "email": "paul.durand@colo.local", "display_name": "Paul", "role": "operator"})
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "login_taken"


async def test_an_e_mail_address_with_a_control_character_is_a_422_naming_it(identity):
    for email in ("pa\x16ul@colo.local", "paul@co\x7flo.local", "paul@colo.lo\x1bcal"):
        refused = await identity.post("/users", headers=ADMIN, json={
            "email": email, "display_name": "Paul Durand", "role": "accountant"})
        assert refused.status_code == 422, email
        assert [e["field"] for e in refused.json()["errors"]] == ["body.email"]
    users = (await identity.get("/users", headers=ADMIN)).json()["items"]
    assert "Paul Durand" not in [user["display_name"] for user in users]


async def test_users_are_listed_a_page_at_a_time_and_by_role(identity):
    for i in range(3):
        await make_user(identity, ADMIN, f"op{i}@colo.local")
    await make_user(identity, ADMIN, "boss@colo.local", role="manager")
    first = (await identity.get("/users", headers=ADMIN, params={"limit": 2})).json()
    second = (await identity.get("/users", headers=ADMIN, params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert len(first["items"]) == 2 and len(second["items"]) == 2 and second["next_cursor"] is None
    managers = (await identity.get("/users", headers=ADMIN, params={"role": "manager"})).json()["items"]
    assert [u["email"] for u in managers] == ["boss@colo.local"]
    bad = await identity.get("/users", headers=ADMIN, params={"role": "client"})
    assert bad.status_code == 422


async def test_new_roles_and_permissions_are_in_the_next_token_and_the_last_admin_stays_one(identity, bus: BusSpy):
    user = await make_user(identity, ADMIN)
    changed = await identity.patch(f"/users/{user['id']}", headers=ADMIN,
                                   json={"role": "manager", "permissions": ["supervision", "health_data"]})
    assert changed.status_code == 200 and changed.json()["permissions"] == ["health_data", "supervision"]
    await bus.wait_for(events.AccountUpdated, account_id=user["id"], role="manager")
    me = await identity.get("/userinfo", headers=bearer(await log_in(identity)))
    assert me.json()["role"] == "manager" and me.json()["perms"] == ["health_data", "supervision"]
    unknown = await identity.patch(f"/users/{user['id']}", headers=ADMIN, json={"permissions": ["everything"]})
    assert unknown.status_code == 422

    admin = await make_user(identity, ADMIN, "admin@colo.local", role="admin")
    demoted = await identity.patch(f"/users/{admin['id']}", headers=ADMIN, json={"role": "operator"})
    assert demoted.status_code == 409 and demoted.json()["code"] == "last_admin"
    disabled = await identity.post(f"/users/{admin['id']}/disable", headers=ADMIN)
    assert disabled.status_code == 409 and disabled.json()["code"] == "last_admin"
    await identity.patch(f"/users/{user['id']}", headers=ADMIN, json={"role": "admin"})
    assert (await identity.patch(f"/users/{admin['id']}", headers=ADMIN, json={"role": "operator"})).status_code == 200


async def test_a_disabled_user_cannot_log_in_and_its_sessions_end(identity, bus: BusSpy):
    user = await make_user(identity, ADMIN)
    refresh = (await log_in(identity)).json()["refresh_token"]
    disabled = await identity.post(f"/users/{user['id']}/disable", headers=ADMIN)
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    await bus.wait_for(events.AccountDisabled, account_id=user["id"], active=False)
    refused = await log_in(identity)
    assert refused.status_code == 403 and refused.json()["code"] == "account_disabled"
    renewed = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": refresh})
    assert renewed.status_code == 400
    assert (await identity.get(f"/users/{user['id']}/sessions", headers=ADMIN)).json()["items"] == []
    link = await identity.post(f"/users/{user['id']}/password-reset", headers=ADMIN)
    assert link.status_code == 409 and link.json()["code"] == "account_disabled"

    assert (await identity.post(f"/users/{user['id']}/enable", headers=ADMIN)).json()["active"] is True
    assert (await log_in(identity)).status_code == 200


async def test_an_admin_sees_a_user_s_sessions_and_ends_one(identity):
    user = await make_user(identity, ADMIN)
    laptop = (await identity.post("/token", headers={"User-Agent": "laptop"}, data={
        "grant_type": "password", "username": "claire@colo.local", "password": PASSWORD})).json()
    await log_in(identity)
    sessions = (await identity.get(f"/users/{user['id']}/sessions", headers=ADMIN)).json()["items"]
    assert len(sessions) == 2
    [on_laptop] = [s for s in sessions if s["user_agent"] == "laptop"]
    assert (await identity.delete(f"/users/{user['id']}/sessions/{on_laptop['id']}", headers=ADMIN)).status_code == 204
    assert len((await identity.get(f"/users/{user['id']}/sessions", headers=ADMIN)).json()["items"]) == 1
    ended = await identity.post("/token", data={"grant_type": "refresh_token", "refresh_token": laptop["refresh_token"]})
    assert ended.json()["code"] == "refresh_token_revoked"
    other = await make_user(identity, ADMIN, "other@colo.local")
    misplaced = await identity.delete(f"/users/{other['id']}/sessions/{sessions[0]['id']}", headers=ADMIN)
    assert misplaced.status_code == 404


async def test_changing_one_s_password_needs_the_current_one_and_ends_every_other_session(identity, bus: BusSpy):
    user = await make_user(identity, ADMIN)
    elsewhere = await log_in(identity)
    tokens = await log_in(identity)
    wrong = await identity.put("/me/password", headers=bearer(tokens),
                               json={"current_password": "guess", "new_password": "a brand new password"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_password"
    changed = await identity.put("/me/password", headers=bearer(tokens),
                                 json={"current_password": PASSWORD, "new_password": "a brand new password"})
    assert changed.status_code == 204
    await bus.wait_for(events.AccountPasswordChanged, account_id=user["id"])
    ended = await identity.post("/token", data={"grant_type": "refresh_token",
                                                "refresh_token": elsewhere.json()["refresh_token"]})
    assert ended.status_code == 400 and ended.json()["code"] == "refresh_token_revoked"
    kept = await identity.post("/token", data={"grant_type": "refresh_token",
                                               "refresh_token": tokens.json()["refresh_token"]})
    assert kept.status_code == 200
    assert (await log_in(identity)).status_code == 400
    assert (await log_in(identity, password="a brand new password")).status_code == 200


async def test_the_second_factor_is_required_once_confirmed_and_a_code_never_serves_twice(identity, clock):
    user = await make_user(identity, ADMIN)
    headers = bearer(await log_in(identity))
    enrolled = (await identity.post("/me/second-factor", headers=headers)).json()
    assert enrolled["otpauth_uri"].startswith("otpauth://totp/Colo:claire%40colo.local?secret=")
    totp = pyotp.TOTP(enrolled["secret"])
    assert (await log_in(identity)).status_code == 200  # not required until confirmed

    wrong_code = "000000" if totp.at(clock.now()) != "000000" else "111111"
    wrong = await identity.post("/me/second-factor/confirmation", headers=headers, json={"code": wrong_code})
    assert wrong.status_code == 409 and wrong.json()["code"] == "totp_invalid"
    confirmed = await identity.post("/me/second-factor/confirmation", headers=headers,
                                    json={"code": totp.at(clock.now())})
    assert confirmed.status_code == 200 and confirmed.json()["second_factor"] is True

    asked = await log_in(identity)
    assert asked.status_code == 400 and asked.json()["code"] == "totp_required"
    clock.advance(timedelta(seconds=30))
    code = totp.at(clock.now())
    assert (await log_in(identity, totp=code)).status_code == 200
    replayed = await log_in(identity, totp=code)
    assert replayed.status_code == 400 and replayed.json()["code"] == "totp_invalid"

    assert (await identity.post("/me/second-factor", headers=auth("operator"))).status_code == 403
    removed = await identity.delete(f"/users/{user['id']}/second-factor", headers=ADMIN)
    assert removed.json()["second_factor"] is False
    assert (await log_in(identity)).status_code == 200
