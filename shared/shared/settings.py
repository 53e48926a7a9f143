"""Configuration by environment variables (12-factor), with defaults that work on a developer machine."""
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_PORTS = {"clients": 8001, "orders": 8002, "billing": 8003, "notifications": 8004, "stock": 8005}


class ServiceSettings(BaseSettings):
    """Settings every service reads. Services subclass it to add their own, all prefixed `COLO_`."""

    model_config = SettingsConfigDict(env_prefix="COLO_", extra="ignore")

    service_name: str = ""
    database_url: str = ""
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    bus_namespace: str = Field("", description="Prefix of the exchange and queue names; isolates test runs.")
    jwt_secret: str = "colo-dev-secret-change-me-in-production"
    jwt_ttl_seconds: int = 8 * 3600
    log_level: str = "INFO"
    log_json: bool = True
    prefetch: int = 16
    retry_delays: list[float] = [1.0, 10.0, 60.0]
    outbox_poll_seconds: float = 2.0
    outbox_batch: int = 100
    job_interval_seconds: float = 30.0
    clock_file: Path | None = Field(None, description="Demo and test only: a file holding a time offset in seconds.")
    db_pool_size: int = 10
    http_timeout_seconds: float = 10.0

    def model_post_init(self, __context: object) -> None:
        if not self.database_url and self.service_name:
            self.database_url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/colo_{self.service_name}"

    @property
    def exchange(self) -> str:
        return f"{self.bus_namespace}colo.events"

    def queue(self, purpose: str) -> str:
        return f"{self.bus_namespace}{self.service_name}.{purpose}"
