"""The pure rules: lockout, refresh-token rotation, TOTP steps, who an account belongs to, and the signing keys."""
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from identity.domain.accounts import (
    Failures,
    LockoutPolicy,
    LoginRefused,
    after_failure,
    ensure_belongs,
    ensure_may_log_in,
    ensure_staff_grant,
)
from identity.domain.front_office import (
    NO_TYPE,
    Standing,
    TypeFlags,
    ensure_may_have_account,
    login_refusal,
    person_name,
)
from identity.domain.second_factor import matching_step
from identity.domain.sessions import Refresh, refresh_outcome
from identity.keys import KeyRing
from shared.auth import SigningKey
from shared.problems import DomainError
from shared.settings import MissingSecrets

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
POLICY = LockoutPolicy(3, timedelta(minutes=15))


def test_the_last_allowed_failure_locks_for_the_policy_s_duration_then_counting_starts_again():
    failures = Failures(0, None)
    for _ in range(2):
        failures = after_failure(failures, NOW, POLICY)
    assert failures == Failures(2, None)
    locked = after_failure(failures, NOW, POLICY)
    assert locked == Failures(0, NOW + timedelta(minutes=15))
    with pytest.raises(LoginRefused) as refused:
        ensure_may_log_in(False, locked.locked_until, NOW + timedelta(minutes=5))
    assert refused.value.code == "account_locked" and refused.value.retry_after == 601
    ensure_may_log_in(False, locked.locked_until, NOW + timedelta(minutes=15))
    assert after_failure(locked, NOW + timedelta(minutes=16), POLICY) == Failures(1, None)
    with pytest.raises(LoginRefused, match="disabled"):
        ensure_may_log_in(True, None, NOW)


@pytest.mark.parametrize(("used", "expires", "revoked", "outcome"), [
    (None, NOW + timedelta(days=1), False, Refresh.ROTATE),
    (NOW, NOW + timedelta(days=1), False, Refresh.REUSED),
    (None, NOW, False, Refresh.EXPIRED),
    (NOW, NOW + timedelta(days=1), True, Refresh.REVOKED),
])
def test_a_refresh_token_rotates_once_and_its_reuse_is_seen(used, expires, revoked, outcome):
    assert refresh_outcome(used, expires, revoked, NOW) is outcome


def test_a_totp_code_is_accepted_one_step_early_or_late_and_never_twice():
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    step = totp.timecode(NOW)
    assert matching_step(secret, totp.at(NOW), NOW, None) == step
    assert matching_step(secret, totp.at(NOW - timedelta(seconds=30)), NOW, None) == step - 1
    assert matching_step(secret, totp.at(NOW + timedelta(seconds=30)), NOW, None) == step + 1
    assert matching_step(secret, totp.at(NOW - timedelta(seconds=90)), NOW, None) is None
    assert matching_step(secret, totp.at(NOW), NOW, last_step=step) is None
    assert matching_step(secret, " ".join([totp.at(NOW)[:3], totp.at(NOW)[3:]]), NOW, None) == step


def test_staff_belong_to_no_client_and_front_office_accounts_to_one():
    ensure_belongs("operator", None, None)
    ensure_belongs("client", "c-1", None)
    ensure_belongs("legal_guardian", "c-1", "g-1")
    for role, client, guardian, code in (("client", None, None, "client_required"),
                                         ("admin", "c-1", None, "staff_without_client"),
                                         ("legal_guardian", "c-1", None, "guardian_mismatch")):
        with pytest.raises(DomainError) as refused:
            ensure_belongs(role, client, guardian)
        assert refused.value.code == code
    with pytest.raises(DomainError, match="Unknown permissions: everything"):
        ensure_staff_grant("operator", ["everything"])
    with pytest.raises(DomainError):
        ensure_staff_grant("client", [])


def test_the_first_key_signs_every_key_is_published_and_a_missing_file_is_named(tmp_path):
    new, old = SigningKey.generate(), SigningKey.generate()
    (tmp_path / "new.pem").write_bytes(new.pem())
    (tmp_path / "old.pem").write_bytes(old.pem())
    ring = KeyRing.load([tmp_path / "new.pem", tmp_path / "old.pem"])
    assert ring.signer.kid == new.kid
    assert [k["kid"] for k in ring.jwks()["keys"]] == [new.kid, old.kid]
    with pytest.raises(MissingSecrets, match="absent.pem"):
        KeyRing.load([tmp_path / "absent.pem"])
    (tmp_path / "rsa.pem").write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    with pytest.raises(MissingSecrets, match="rsa.pem"):
        KeyRing.load([tmp_path / "rsa.pem"])
    assert len(KeyRing.load([]).keys) == 1


def test_a_front_office_login_follows_the_client_and_its_type_in_this_order():
    ok = Standing(kind="private")
    assert login_refusal("client", ok, NO_TYPE) is None
    assert login_refusal("client", None, NO_TYPE).code == "account_not_ready"
    refusals = [
        (Standing("private", deleted=True, blocked=True), NO_TYPE, "account_disabled"),
        (Standing("private", anonymised=True), NO_TYPE, "account_disabled"),
        (Standing("private", blocked=True, active=False), NO_TYPE, "client_blocked"),
        (Standing("private", active=False), TypeFlags(account_allowed=False), "account_inactive"),
        (ok, TypeFlags(account_allowed=False, ordering_allowed=False), "front_office_account_forbidden"),
        (ok, TypeFlags(ordering_allowed=False), "front_office_ordering_forbidden"),
    ]
    for client, flags, code in refusals:
        assert login_refusal("client", client, flags).code == code, code
    assert login_refusal("client", Standing("private", active=False, inactive_message="Impayé."), NO_TYPE
                         ).message == "Impayé."
    assert login_refusal("legal_guardian", ok, NO_TYPE).code == "front_office_account_forbidden"
    assert login_refusal("legal_guardian", ok, TypeFlags(guardian_accounts=True)) is None


def test_who_may_be_given_an_account():
    company = Standing(kind="professional")
    ensure_may_have_account("reseller", company, NO_TYPE, "colos@mairie.fr")
    for role, client, flags, email, code in (
            ("reseller", Standing("private"), NO_TYPE, "a@b.fr", "not_a_reseller"),
            ("client", company, TypeFlags(account_allowed=False), "a@b.fr", "front_office_account_forbidden"),
            ("legal_guardian", company, NO_TYPE, "a@b.fr", "guardian_accounts_disabled"),
            ("client", company, NO_TYPE, None, "email_required"),
            ("client", Standing("private", blocked=True), NO_TYPE, "a@b.fr", "client_blocked"),
            ("client", Standing("private", deleted=True), NO_TYPE, "a@b.fr", "client_unavailable")):
        with pytest.raises(DomainError) as refused:
            ensure_may_have_account(role, client, flags, email)
        assert refused.value.code == code
    assert person_name("Mme", "Martin", "Claire") == "Mme MARTIN Claire"
    assert person_name(None, "Martin", None) == "MARTIN"
