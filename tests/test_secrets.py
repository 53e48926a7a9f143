"""No service starts with a secret anybody can read in the source: outside development mode, a missing secret
stops it at start, naming the setting; each secret can also come from a file (`COLO_<NAME>_FILE`). No service but
identity holds anything that signs a token: the others check tokens with identity's public keys."""
import json
import os
import subprocess
import sys

import httpx
import jwt
import pytest
from cryptography.fernet import Fernet

from clients.app import ClientsSettings
from identity.app import IdentitySettings
from identity.app import create as create_identity
from shared.auth import SigningKey
from shared.settings import MissingSecrets, ServiceSettings
from shared.testing import Infra, ServiceProcess, auth, config_for, migrated_database, token

PRODUCTION = {name: value for name, value in os.environ.items() if not name.startswith("COLO_")}


def start(service: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The service's factory called as uvicorn calls it, in a production environment plus `env`."""
    return subprocess.run(
        [sys.executable, "-c", f"from {service}.app import create; create()"],
        env={**PRODUCTION, **env}, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize(("service", "missing"), [
    ("identity", ["COLO_SIGNING_KEY_FILES"]),
    ("orders", ["COLO_SERVICE_CLIENT_SECRET"]),
    ("stock", ["COLO_SERVICE_CLIENT_SECRET"]),
    ("clients", ["COLO_HEALTH_DATA_KEYS", "COLO_SERVICE_CLIENT_SECRET"]),
])
def test_a_service_outside_development_mode_refuses_to_start_without_its_secrets(service, missing):
    started = start(service)
    assert started.returncode != 0
    refusal = started.stderr.strip().splitlines()[-1]
    assert refusal.startswith("shared.settings.MissingSecrets:")
    for name in missing:
        assert name in refusal


def test_orders_with_online_payments_refuses_to_start_without_the_stripe_secrets():
    started = start("orders", COLO_ONLINE_PAYMENTS="true", COLO_SERVICE_CLIENT_SECRET="s3cret")
    assert started.returncode != 0
    refusal = started.stderr.strip().splitlines()[-1]
    assert refusal.startswith("shared.settings.MissingSecrets:")
    assert "COLO_STRIPE_SECRET_KEY" in refusal and "COLO_STRIPE_WEBHOOK_SECRET" in refusal
    assert start("orders", COLO_SERVICE_CLIENT_SECRET="s3cret").returncode == 0  # payments off: not needed


def test_a_service_that_queries_no_other_needs_no_secret_to_check_tokens():
    assert start("notifications").returncode == 0


def test_static_keys_instead_of_identity_s_are_refused_outside_development_mode():
    started = start("notifications", COLO_JWKS='{"keys": []}')
    assert started.returncode != 0 and "COLO_JWKS is for development and tests only" in started.stderr


def test_a_secret_is_read_from_the_file_its_file_variable_names(tmp_path, monkeypatch):
    (tmp_path / "client").write_text("s3cret-from-a-mounted-file\n")
    keys = [Fernet.generate_key().decode()]
    (tmp_path / "keys").write_text(json.dumps(keys))
    monkeypatch.setenv("COLO_SERVICE_CLIENT_SECRET_FILE", str(tmp_path / "client"))
    monkeypatch.setenv("COLO_HEALTH_DATA_KEYS_FILE", str(tmp_path / "keys"))
    settings = ClientsSettings()
    assert settings.require() == []
    assert settings.service_client_secret.get_secret_value() == "s3cret-from-a-mounted-file"
    assert [key.get_secret_value() for key in settings.health_data_keys] == keys


def test_an_unreadable_secret_file_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("COLO_SERVICE_CLIENT_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(MissingSecrets, match="COLO_SERVICE_CLIENT_SECRET_FILE"):
        ServiceSettings()


def test_development_mode_replaces_a_missing_secret_by_a_random_one_never_a_known_one():
    first, second = (ClientsSettings(environment="development") for _ in range(2))
    assert first.require() == ["COLO_HEALTH_DATA_KEYS", "COLO_SERVICE_CLIENT_SECRET"]
    second.require()
    assert len(first.service_client_secret.get_secret_value()) >= 32
    assert first.service_client_secret.get_secret_value() != second.service_client_secret.get_secret_value()


def test_identity_in_development_mode_signs_with_a_key_of_its_own_process():
    first, second = (create_identity(IdentitySettings(environment="development")) for _ in range(2))
    assert first.state.keys.signer.kid != second.state.keys.signer.kid


def test_billing_starts_without_an_issuer_whose_mentions_an_admin_sets_through_its_api():
    """The seller's identity is no secret: issuers are set with POST /issuers (services/billing/tests)."""
    assert start("billing").returncode == 0


async def test_a_token_forged_with_another_key_or_the_old_shared_secret_is_refused(infra: Infra, tmp_path):
    """The forged-admin attack of the hardening issue: a token signed with anything but identity's keys."""
    url = migrated_database(infra, "stock", "_secrets")
    process = ServiceProcess("stock", config_for(infra, "stock", url), tmp_path).start()
    try:
        await process.wait_ready()
        old_style = jwt.encode({"sub": "intruder", "role": "admin", "exp": 4102444800},
                               "colo-dev-secret-change-me-in-production")
        forged = token("admin", key=SigningKey.generate())
        async with httpx.AsyncClient(base_url=process.url) as client:
            for bad in (old_style, forged):
                refused = await client.post("/stays", json={"title": "Forged"},
                                            headers={"Authorization": f"Bearer {bad}"})
                assert refused.status_code == 401
            accepted = await client.post("/stays", json={"title": "Genuine"}, headers=auth("admin"))
            assert accepted.status_code == 201
    finally:
        process.stop()
