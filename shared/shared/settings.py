"""Configuration by environment variables (12-factor), with defaults that work on a developer machine.

Secrets, and the few settings that have no honest default (a seller's legal identity), have none in the
source. Each setting is read from `COLO_<NAME>`, or from the file named by `COLO_<NAME>_FILE` (a mounted
secret); a service refuses to start without those it requires, unless it runs in the explicit development
mode (`COLO_ENVIRONMENT=development`, which `make up` and the tests set), where a missing secret is replaced
by a random one for the life of the process.
"""
import secrets
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import Field, PrivateAttr, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

SERVICE_PORTS = {"clients": 8001, "orders": 8002, "billing": 8003, "notifications": 8004, "stock": 8005,
                 "identity": 8006}


class MissingSecrets(RuntimeError):
    """A service outside development mode was started without the secrets it needs."""


class SecretFiles(EnvSettingsSource):
    """`COLO_<NAME>_FILE=/run/secrets/x`: the setting's value is the file's content, without its final newline."""

    def _load_env_vars(self) -> dict[str, str | None]:
        suffix, prefix = "_file", self.env_prefix.lower()
        values: dict[str, str | None] = {}
        for name, path in super()._load_env_vars().items():
            if name.lower().startswith(prefix) and name.lower().endswith(suffix) and path:
                try:
                    values[name[:-len(suffix)]] = Path(path).read_text().rstrip("\n")
                except OSError as error:
                    raise MissingSecrets(f"{name.upper()} names {path}, which cannot be read: {error}") from error
        return values


class ServiceSettings(BaseSettings):
    """Settings every service reads. Services subclass it to add their own, all prefixed `COLO_`."""

    model_config = SettingsConfigDict(env_prefix="COLO_", extra="ignore")
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    """The settings a service cannot start without outside development mode."""

    environment: Literal["production", "development"] = Field(
        "production", description="development lets a missing secret be replaced by a random one; never in production.")
    service_name: str = ""
    database_url: str = ""
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    bus_namespace: str = Field("", description="Prefix of the exchange and queue names; isolates test runs.")
    identity_url: str = Field("http://127.0.0.1:8006",
                              description="The identity service: its JWKS checks tokens, its /token gives service tokens.")
    token_issuer: str = Field("colo-identity", description="The `iss` every accepted token carries.")
    token_audience: str = Field("colo", description="The `aud` every accepted token carries.")
    jwks: str | None = Field(None, description="Development and tests only: a static JWKS document (JSON) used "
                                                 "instead of identity's.")
    jwks_max_age_seconds: float = Field(3600.0, gt=0, description="How long identity's public keys are cached.")
    jwks_min_refetch_seconds: float = Field(
        30.0, ge=0, description="A token naming an unknown key fetches the JWKS again at most this often.")
    service_client_secret: SecretStr | None = Field(
        None, description="This service's client secret at identity (client id: the service's name), for its "
                          "queries to other services.")
    log_level: str = "INFO"
    log_json: bool = True
    prefetch: int = 16
    retry_delays: list[float] = [1.0, 10.0, 60.0]
    outage_delay_seconds: float = Field(
        1.0, gt=0, description="First pause of a consumer whose database or remote service is down; doubles each time.")
    outage_max_delay_seconds: float = Field(60.0, gt=0, description="The longest pause of a consumer during an outage.")
    outbox_poll_seconds: float = 2.0
    outbox_batch: int = 100
    job_interval_seconds: float = 30.0
    clock_file: Path | None = Field(None, description="Demo and test only: a file holding a time offset in seconds.")
    db_connections: int = Field(
        5, ge=3, description="PostgreSQL connections this process may hold: its pool, plus the relay's LISTEN one.")
    db_pool_size: int = Field(2, ge=1, description="Pool connections kept open while idle; more are closed on return.")
    db_pool_timeout_seconds: float = Field(
        3.0, gt=0, description="Wait for a free pool connection before a request is a 503.")
    http_timeout_seconds: float = 10.0
    otlp_endpoint: str | None = Field(
        None, description="An OpenTelemetry collector's OTLP/HTTP endpoint (http://collector:4318): this process's "
                          "traces go there. None: no tracing.")
    _development_values: list[str] = PrivateAttr(default_factory=list)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, SecretFiles(settings_cls), dotenv_settings, file_secret_settings

    @field_validator("database_url")
    @classmethod
    def _asyncpg_driver(cls, url: str) -> str:
        """A plain `postgresql://` URL, as CloudNativePG's application secret holds it (its `uri`), means asyncpg."""
        for plain in ("postgresql://", "postgres://"):
            if url.startswith(plain):
                return "postgresql+asyncpg://" + url[len(plain):]
        return url

    @model_validator(mode="after")
    def _static_keys_in_development_only(self) -> "ServiceSettings":
        if self.jwks and not self.development:
            raise ValueError("COLO_JWKS is for development and tests only: outside them, tokens are checked with "
                             "the keys identity publishes (COLO_IDENTITY_URL)")
        return self

    def model_post_init(self, __context: object) -> None:
        if not self.database_url and self.service_name:
            self.database_url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/colo_{self.service_name}"

    @property
    def development(self) -> bool:
        return self.environment == "development"

    def require(self) -> list[str]:
        """Check the required settings before the service starts; in development mode, fill the missing ones
        (random secrets, demonstration values). The names of those filled, for a warning, however often it is called."""
        missing = [name for name in self.required() if not getattr(self, name)]
        if missing and not self.development:
            names = ", ".join(f"COLO_{name.upper()}" for name in missing)
            raise MissingSecrets(
                f"{self.service_name or 'the service'} cannot start without {names} (or the same name with _FILE, "
                "naming a file that holds it). COLO_ENVIRONMENT=development, on a developer machine only, "
                "replaces them with random or demonstration values.")
        for name in missing:
            setattr(self, name, self.development_value(name))
        self._development_values += [f"COLO_{name.upper()}" for name in missing]
        return self._development_values

    def required(self) -> tuple[str, ...]:
        """The settings required as configured: a feature turned on may need secrets of its own."""
        return self.REQUIRED

    def development_value(self, name: str) -> Any:
        """What a missing required setting is in development mode: a random secret, unless the service says
        otherwise for a setting of another shape."""
        return SecretStr(secrets.token_urlsafe(32))

    @property
    def exchange(self) -> str:
        return f"{self.bus_namespace}colo.events"

    def queue(self, purpose: str) -> str:
        return f"{self.bus_namespace}{self.service_name}.{purpose}"

