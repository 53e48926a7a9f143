"""Composition of the identity service. Run with `uvicorn --factory identity.app:create`."""
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic import Field

from identity import api
from identity.handlers import HANDLERS
from identity.keys import KeyRing
from shared.app import Service, create_app
from shared.auth import KeySet, TokenVerifier
from shared.clock import Clock
from shared.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    REQUIRED = (*ServiceSettings.REQUIRED, "signing_key_files")
    service_name: str = "identity"
    signing_key_files: list[Path] = Field(
        [], description="PEM files of the Ed25519 private keys, as a JSON list: the first signs, all are published.")
    public_url: str | None = Field(None, description="Where identity is reached (the discovery document's links); "
                                                     "by default, the URL of the request.")
    access_token_minutes: int = Field(10, ge=1, le=60, description="Lifetime of an access token.")
    refresh_token_days: int = Field(14, ge=1, description="A session unused this long expires.")
    lockout_attempts: int = Field(5, ge=1, description="Consecutive failed logins that lock an account.")
    lockout_minutes: float = Field(15.0, gt=0, description="How long a locked account stays locked.")
    password_reset_ttl_minutes: int = Field(60, ge=1, description="How long a password link can be used.")
    new_account_link_hours: int = Field(72, ge=1, description="How long a new account's first password link lasts.")
    email_verification_hours: int = Field(48, ge=1, description="How long a sign-up's e-mail verification link lasts.")
    service_client_hashes: dict[str, str] = Field(
        {}, description="The services' client secrets as {client id: SHA-256 of the secret, hex}, for the "
                        "client_credentials grant.")

    def development_value(self, name: str) -> Any:
        if name == "signing_key_files":
            return []
        return super().development_value(name)


SERVICE = Service(
    name="identity",
    title="Colo identity",
    description="Every credential: staff users with their second factor, families', legal guardians' and resellers' "
                "front-office accounts and families' sign-ups; sessions; the OAuth2 token endpoint and the keys that "
                "sign every token (JWKS).",
    routers=[api.router],
    handlers=HANDLERS,
)


def create(settings: IdentitySettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or IdentitySettings()
    app = create_app(SERVICE, settings, clock)
    app.state.keys = KeyRing.load(settings.signing_key_files)
    app.state.verifier = TokenVerifier(KeySet.static(app.state.keys.jwks()), settings.token_issuer,
                                       settings.token_audience)
    return app
