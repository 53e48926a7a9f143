"""docker-compose.yml stays consistent with the services: command, port, and the COLO_* variables they read; and it can
be scaled: no fixed host port on a service, a health check on each, its migration job before it, the gateway
re-resolving every replica. There is no Docker engine here: the checks read the file's structure.

A service whose package is not written yet is skipped; once services/<name>/ exists it is checked.
"""
import importlib
import importlib.util
import shlex
import typing
from pathlib import Path
from types import ModuleType, UnionType

import pytest
import yaml

from shared.settings import SERVICE_PORTS, ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def service_module(name: str) -> ModuleType:
    """`<name>.app`, skipping while the service's package or its app module does not exist yet."""
    if importlib.util.find_spec(name) is None:
        pytest.skip(f"package {name!r} is not importable yet (services/{name}/ not written or not installed)")
    if importlib.util.find_spec(f"{name}.app") is None:
        pytest.skip(f"{name}.app does not exist yet")
    return pytest.importorskip(f"{name}.app", exc_type=ModuleNotFoundError)


def settings_class(module: ModuleType) -> type[ServiceSettings]:
    """The ServiceSettings subclass the service's `create()` takes, else the one its app module defines."""
    found: set[type[ServiceSettings]] = set()
    create = getattr(module, "create", None)
    if create is not None:
        for annotation in typing.get_type_hints(create).values():
            options = typing.get_args(annotation) if isinstance(annotation, UnionType) or typing.get_origin(
                annotation) is typing.Union else (annotation,)
            found |= {o for o in options if isinstance(o, type) and issubclass(o, ServiceSettings)}
    if not found:
        found = {
            value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, ServiceSettings) and value is not ServiceSettings
            and value.__module__.split(".")[0] == module.__name__.split(".")[0]
        }
    assert len(found) == 1, f"{module.__name__}: expected one ServiceSettings subclass, found {found or 'none'}"
    return found.pop()


def env_names(settings: type[ServiceSettings]) -> set[str]:
    prefix = settings.model_config.get("env_prefix", "")
    names = set()
    for field_name, field in settings.model_fields.items():
        names |= {f"{prefix}{field_name}".upper(), f"{prefix}{field_name}_FILE".upper()}
        for alias in (field.alias, field.validation_alias):
            if isinstance(alias, str):
                names.add(alias.upper())
    return names


@pytest.mark.parametrize("name", sorted(SERVICE_PORTS, key=SERVICE_PORTS.get))
def test_compose_runs_the_service_as_it_is_configured(compose: dict, name: str) -> None:
    port = SERVICE_PORTS[name]
    assert name in compose["services"], f"docker-compose.yml has no service {name!r}"
    module = service_module(name)
    assert callable(getattr(module, "create", None)), f"{name}.app has no create() factory"
    service = compose["services"][name]

    command = service["command"]
    argv = shlex.split(command) if isinstance(command, str) else [str(a) for a in command]
    assert argv == ["uvicorn", "--factory", f"{name}.app:create", "--host", "0.0.0.0", "--port", str(port)]
    assert not service.get("ports"), f"{name} binds a host port: `--scale {name}=2` would collide"
    assert service["environment"]["PORT"] == str(port), "the health check asks /readyz on PORT"

    settings = settings_class(module)
    assert settings.model_fields["service_name"].default == name, f"{settings.__name__}.service_name must be {name!r}"
    readable = env_names(settings)
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    colo_vars = {key for key in environment if key.startswith("COLO_")}
    unread = sorted(colo_vars - {v.upper() for v in readable})
    assert not unread, f"docker-compose.yml sets {unread} for {name}, which {settings.__name__} does not read"
    assert environment["COLO_DATABASE_URL"].endswith(f"@postgres:5432/colo_{name}")
    assert "COLO_AMQP_URL" in colo_vars
    for required in settings.REQUIRED:
        variable = f"COLO_{required.upper()}"
        assert variable in colo_vars or f"{variable}_FILE" in colo_vars or environment["COLO_ENVIRONMENT"] == \
            "development", f"{name} cannot start without {variable}"
        if "SecretStr" in str(settings.model_fields[required].annotation):
            assert variable not in colo_vars, f"{variable} is written in docker-compose.yml: a secret comes from a file"


def test_infrastructure_and_migrations_cover_every_service(compose: dict) -> None:
    services = compose["services"]
    assert {"postgres", "rabbitmq", "mailpit"} <= set(services)
    init = (ROOT / "ops" / "postgres-init.sql").read_text(encoding="utf-8")
    for name in SERVICE_PORTS:
        job = services[f"migrate-{name}"]
        command = " ".join(job["command"]) if isinstance(job["command"], list) else job["command"]
        assert f"colo-migrate {name}" in command, f"migrate-{name} does not migrate {name}"
        assert job["environment"]["COLO_DATABASE_URL"] == services[name]["environment"]["COLO_DATABASE_URL"]
        assert job["restart"] == "no" and job["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert f"CREATE DATABASE colo_{name};" in init
    mounts = " ".join(services["postgres"]["volumes"])
    assert "./ops/postgres-init.sql:/docker-entrypoint-initdb.d/" in mounts


APPLICATIONS = [*SERVICE_PORTS, "web"]


@pytest.mark.parametrize("name", APPLICATIONS)
def test_a_service_scales_behind_the_gateway(compose: dict, name: str) -> None:
    """`docker compose up --scale <name>=3`: no host port to collide, a health check the gateway waits for, its
    migration run before any replica, and the gateway's upstream re-resolving the name to every replica."""
    services = compose["services"]
    service = services[name]
    assert not service.get("ports"), f"{name} binds a host port"
    assert "container_name" not in service, f"{name} has a fixed container name: a second replica would collide"
    test = " ".join(service["healthcheck"]["test"])
    assert service["healthcheck"]["test"][0] == "CMD" and ("/readyz" in test or "/healthz" in test)
    if name != "web":
        assert "/readyz" in test, f"{name} is healthy only when its database answers (/readyz)"
        assert service["depends_on"][f"migrate-{name}"]["condition"] == "service_completed_successfully"
    gateway = services["gateway"]
    assert gateway["depends_on"][name]["condition"] == "service_healthy"
    upstream = gateway["environment"][f"COLO_GATEWAY_UPSTREAM_{name.upper()}"]
    port = SERVICE_PORTS.get(name, 8007)
    assert f"server {name}:{port} resolve;" in upstream, f"the gateway does not follow {name}'s replicas"
    assert "resolver 127.0.0.11" in upstream, "Docker's DNS, asked again as replicas come and go"


def test_only_the_entry_points_bind_host_ports(compose: dict) -> None:
    """What a person opens (gateway, payment pages, mail and broker UIs) and the data engines, nothing else."""
    bound = {name for name, service in compose["services"].items() if service.get("ports")}
    assert bound <= {"gateway", "stripe-emulator", "mailpit", "rabbitmq", "postgres"}
    assert compose["services"]["gateway"]["ports"] == ["8080:8080"]


def test_the_gateway_image_resolves_upstream_names() -> None:
    """`server name resolve;` in an upstream is nginx's since 1.27.3; the template gives each upstream the shared zone
    it needs."""
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    image = compose["services"]["gateway"]["image"]
    major, minor = (int(part) for part in image.split(":")[1].split("-")[0].split(".")[:2])
    assert (major, minor) >= (1, 28)
    template = (ROOT / "ops" / "gateway" / "nginx.conf.template").read_text(encoding="utf-8")
    for name in APPLICATIONS:
        assert f"upstream {name} {{\n        zone {name} " in template


def test_secrets_are_files_never_values(compose: dict) -> None:
    """Every secret a service reads comes from the secrets volume, mounted read-only."""
    for name in SERVICE_PORTS:
        service = compose["services"][name]
        assert "colo-secrets:/run/secrets/colo:ro" in service["volumes"]
        for key, value in service["environment"].items():
            if key.endswith("_FILE") or key.endswith("_FILES"):
                assert "/run/secrets/colo/" in value, f"{name}: {key} is not a mounted secret"
