"""deploy/kubernetes/: every overlay builds, its core manifests are valid for the Kubernetes version README names
(kubernetes-validate's own schemas, offline), its custom resources carry what their operators require, and the
deployment keeps the rules an ops team relies on (probes, budgets, migrations first, secrets as files, who may talk
to whom, scaling)."""
import importlib
import importlib.util
import re
import typing
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from shared.settings import SERVICE_PORTS, ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
KUBERNETES = ROOT / "deploy" / "kubernetes"
OVERLAYS = ("small", "large")
APPLICATIONS = {**SERVICE_PORTS, "web": 8007}
CORE_GROUPS = {"", "apps", "batch", "policy", "autoscaling", "networking.k8s.io"}


def _render_module():
    spec = importlib.util.spec_from_file_location("colo_kubernetes_render", KUBERNETES / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render = _render_module()


def kubernetes_version() -> str:
    """The version README's Kubernetes section names: "Kubernetes 1.32"."""
    found = re.search(r"Kubernetes (\d+\.\d+)\b", (KUBERNETES / "README.md").read_text(encoding="utf-8"))
    assert found, "deploy/kubernetes/README.md names no Kubernetes version"
    return f"{found[1]}.0"


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request) -> tuple[str, dict[tuple[str, str], dict[str, Any]]]:
    resources = render.build(KUBERNETES / "overlays" / request.param)
    by_id = {(r["kind"], r["metadata"]["name"]): r for r in resources}
    assert len(by_id) == len(resources), "two resources of one kind share a name"
    return request.param, by_id


def group_of(resource: dict[str, Any]) -> str:
    return resource["apiVersion"].rpartition("/")[0]


def test_every_core_manifest_is_valid_for_the_named_kubernetes_version(overlay) -> None:
    _, resources = overlay
    version = kubernetes_version()
    core = [r for r in resources.values() if group_of(r) in CORE_GROUPS]
    assert len(core) > 40
    for resource in core:
        try:
            kubernetes_validate.validate(resource, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{resource['kind']}/{resource['metadata']['name']}: {error.message} at {list(error.path)}")
        assert resource["metadata"]["namespace"] == "colo"


def test_the_operators_resources_carry_their_required_fields(overlay) -> None:
    """CloudNativePG, the RabbitMQ Cluster Operator and KEDA: no schema ships for them, their required fields do."""
    name, resources = overlay
    [rabbitmq] = [r for r in resources.values() if r["kind"] == "RabbitmqCluster"]
    assert rabbitmq["apiVersion"] == "rabbitmq.com/v1beta1" and rabbitmq["spec"]["replicas"] == 3
    for service in SERVICE_PORTS:
        cluster = resources[("Cluster", f"colo-{service}-db")]
        assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
        assert cluster["spec"]["instances"] >= 1 and cluster["spec"]["storage"]["size"]
        assert cluster["spec"]["bootstrap"]["initdb"]["database"] == f"colo_{service}"
        store = cluster["spec"]["backup"]["barmanObjectStore"]
        assert store["destinationPath"].endswith(f"/{service}") and store["s3Credentials"]["secretAccessKey"]["key"]
        backup = resources[("ScheduledBackup", f"colo-{service}-db-daily")]
        assert backup["spec"]["cluster"]["name"] == f"colo-{service}-db"
        assert len(backup["spec"]["schedule"].split()) == 6, "CloudNativePG's schedule has a seconds field"
    scaled = {key[1]: r for key, r in resources.items() if key[0] == "ScaledObject"}
    for service, scaled_object in scaled.items():
        assert scaled_object["apiVersion"] == "keda.sh/v1alpha1"
        assert scaled_object["spec"]["scaleTargetRef"]["name"] == service
        triggers = {t["type"]: t for t in scaled_object["spec"]["triggers"]}
        assert triggers["rabbitmq"]["metadata"]["queueName"] == f"{service}.events"
        assert triggers["rabbitmq"]["metadata"]["mode"] == "QueueLength" and triggers["rabbitmq"]["metadata"]["value"]
        authentication = resources[("TriggerAuthentication", triggers["rabbitmq"]["authenticationRef"]["name"])]
        assert authentication["spec"]["secretTargetRef"][0]["parameter"] == "host"
        assert triggers["cpu"]["metricType"] == "Utilization"


def test_each_service_can_scale_on_cpu_or_on_its_queue_but_not_both_at_once(overlay) -> None:
    """A Deployment has one HorizontalPodAutoscaler: the base's on CPU, or the one KEDA makes (large overlay)."""
    name, resources = overlay
    for service in APPLICATIONS:
        autoscalers = [r for (kind, _), r in resources.items() if kind == "HorizontalPodAutoscaler"
                       and r["spec"]["scaleTargetRef"]["name"] == service]
        scaled = [r for (kind, _), r in resources.items() if kind == "ScaledObject"
                  and r["spec"]["scaleTargetRef"]["name"] == service]
        assert len(autoscalers) + len(scaled) == 1, service
        if name == "large" and service in SERVICE_PORTS:
            assert scaled, f"{service} does not scale on its queue in the large overlay"
        assert "replicas" not in resources[("Deployment", service)]["spec"], "an autoscaled Deployment sets no count"


@pytest.mark.parametrize("service", sorted(SERVICE_PORTS))
def test_a_service_is_probed_budgeted_migrated_first_and_reads_its_secrets_from_files(overlay, service) -> None:
    _, resources = overlay
    deployment = resources[("Deployment", service)]
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"]) and container["resources"]["limits"]["memory"]
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    assert resources[("PodDisruptionBudget", service)]["spec"]["selector"]["matchLabels"] == \
        deployment["spec"]["selector"]["matchLabels"]
    assert resources[("Service", service)]["spec"]["ports"][0]["port"] == SERVICE_PORTS[service]

    job = resources[("Job", f"{service}-migrate")]
    [migration] = job["spec"]["template"]["spec"]["containers"]
    assert migration["command"] == ["colo-migrate", service] and migration["image"] == container["image"]
    assert job["metadata"]["annotations"]["argocd.argoproj.io/hook"] == "PreSync"

    environment = {e["name"]: e.get("value") for e in container["env"]}
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert environment["COLO_DATABASE_URL_FILE"] == "/run/secrets/database/uri"
    assert volumes[mounts["/run/secrets/database"]]["secret"]["secretName"] == f"colo-{service}-db-app", \
        "the database is CloudNativePG's application secret of the service's own cluster"
    assert environment["COLO_AMQP_URL_FILE"].startswith("/run/secrets/amqp/")
    for variable, value in environment.items():
        if variable.endswith("_FILE"):
            folder = str(Path(value).parent)
            assert folder in mounts and "secret" in volumes[mounts[folder]], f"{variable} is not a mounted secret"
    assert not [e for e in container["env"] if "secretKeyRef" in e.get("valueFrom", {})], "secrets as files only"
    assert container["envFrom"][0]["configMapRef"]["name"] == "colo-platform"
    assert resources[("ConfigMap", "colo-platform")]["data"]["COLO_ENVIRONMENT"] == "production"


def test_identitys_signing_keys_rotate_without_downtime(overlay) -> None:
    """Two key files: the first signs, both are published (JWKS), so tokens signed before a swap still verify."""
    _, resources = overlay
    [container] = resources[("Deployment", "identity")]["spec"]["template"]["spec"]["containers"]
    files = yaml.safe_load(next(e["value"] for e in container["env"] if e["name"] == "COLO_SIGNING_KEY_FILES"))
    assert [Path(f).parent for f in files] == [Path("/run/secrets/signing")] * 2 and len(set(files)) == 2
    assert "two keys" in (KUBERNETES / "README.md").read_text(encoding="utf-8")


def _selects(peer: dict[str, Any], labels: dict[str, str]) -> bool:
    selector = peer.get("podSelector", {}).get("matchLabels")
    return "namespaceSelector" not in peer and selector is not None and selector.items() <= labels.items()


def test_only_the_gateway_and_the_callers_a_service_names_reach_it(overlay) -> None:
    _, resources = overlay
    policies = [r for (kind, _), r in resources.items() if kind == "NetworkPolicy"]
    default = resources[("NetworkPolicy", "default-deny")]["spec"]
    assert default["podSelector"] == {} and set(default["policyTypes"]) == {"Ingress", "Egress"}
    labels = {name: resources[("Deployment", name)]["spec"]["template"]["metadata"]["labels"]
              for name in [*APPLICATIONS, "gateway"]}
    allowed_callers = {"identity": {"gateway", "web", *SERVICE_PORTS}, "orders": {"gateway", "clients", "stock"},
                       "clients": {"gateway", "orders"}, "stock": {"gateway", "orders"},
                       "billing": {"gateway", "clients"}, "notifications": {"gateway", "clients"}, "web": {"gateway"}}
    for service, expected in allowed_callers.items():
        own = [p for p in policies if p["spec"]["podSelector"].get("matchLabels", {}).items()
               <= labels[service].items() and "Ingress" in p["spec"]["policyTypes"] and p["spec"]["podSelector"]]
        peers = [peer for p in own for rule in p["spec"].get("ingress", []) for peer in rule.get("from", [])]
        callers = {name for name, pod_labels in labels.items() if any(_selects(peer, pod_labels) for peer in peers)}
        assert callers - {service} == expected - {service}, service
        outside = [peer for peer in peers if "namespaceSelector" in peer]
        assert all(peer["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "monitoring"}
                   for peer in outside), f"{service} is open to {outside}"
    gateway = resources[("NetworkPolicy", "gateway")]["spec"]["ingress"][0]["from"]
    assert {"kubernetes.io/metadata.name": "ingress-nginx"} in [p.get("namespaceSelector", {}).get("matchLabels")
                                                               for p in gateway]
    ingress = resources[("Ingress", "colo")]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert ingress["name"] == "gateway"


@pytest.mark.parametrize("service", sorted(SERVICE_PORTS))
def test_a_service_reaches_its_own_database_and_the_broker(overlay, service) -> None:
    _, resources = overlay
    egress = resources[("NetworkPolicy", service)]["spec"]["egress"]
    databases = [peer["podSelector"]["matchLabels"].get("cnpg.io/cluster") for rule in egress
                 for peer in rule.get("to", []) if "podSelector" in peer]
    assert [d for d in databases if d] == [f"colo-{service}-db"]
    assert any(peer.get("podSelector", {}).get("matchLabels") == {"app.kubernetes.io/name": "colo-rabbitmq"}
               for rule in egress for peer in rule.get("to", []))
    database = resources[("NetworkPolicy", f"colo-{service}-db")]["spec"]["ingress"]
    apps = {peer["podSelector"]["matchLabels"].get("app.kubernetes.io/name") for rule in database
            for peer in rule.get("from", []) if "podSelector" in peer}
    assert apps - {None} == {service}


def test_the_gateway_serves_the_template_every_other_way_of_running_colo_renders(overlay) -> None:
    _, resources = overlay
    [config_map] = [r for (kind, name), r in resources.items()
                    if kind == "ConfigMap" and name.startswith("colo-gateway-")]
    template = (ROOT / "ops" / "gateway" / "nginx.conf.template").read_text(encoding="utf-8")
    assert config_map["data"] == {"nginx.conf.template": template}
    pod = resources[("Deployment", "gateway")]["spec"]["template"]["spec"]
    assert pod["volumes"][0]["configMap"]["name"] == config_map["metadata"]["name"]
    environment = {e["name"]: e["value"] for e in pod["containers"][0]["env"]}
    for name, port in APPLICATIONS.items():
        assert environment[f"COLO_GATEWAY_UPSTREAM_{name.upper()}"] == f"server {name}:{port};"
    assert set(re.findall(r"\$\{(COLO_GATEWAY_\w+)\}", template)) <= set(environment)


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="no kubectl here to compare with")
@pytest.mark.parametrize("name", OVERLAYS)
def test_render_builds_what_kubectl_kustomize_builds(name: str) -> None:
    """render.py stands in for kustomize where kubectl is not installed: both give the same resources (the generated
    ConfigMap's suffix aside)."""
    directory = KUBERNETES / "overlays" / name
    built = subprocess.run(["kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone", str(directory)],
                           capture_output=True, text=True, check=True, timeout=60).stdout

    def normalised(resources: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
        return {(r["kind"], re.sub(r"^colo-gateway-\w{10}$", "colo-gateway", r["metadata"]["name"])):
                re.sub(r"colo-gateway-\w{10}\b", "colo-gateway", yaml.safe_dump(r, sort_keys=True))
                for r in resources}

    assert normalised(render.build(directory)) == normalised([r for r in yaml.safe_load_all(built) if r])


def settings_of(service: str) -> type[ServiceSettings]:
    """The settings class the service's `create()` takes."""
    hint = typing.get_type_hints(importlib.import_module(f"{service}.app").create)["settings"]
    [cls] = [option for option in typing.get_args(hint) if isinstance(option, type) and
             issubclass(option, ServiceSettings)]
    return cls


@pytest.mark.parametrize("service", sorted(SERVICE_PORTS))
def test_a_service_gets_every_setting_it_cannot_start_without_in_production(overlay, service) -> None:
    """Production mode (no development fallbacks): each required setting comes from the pod's environment, one of its
    ConfigMaps or a mounted file, and what the overlay gives builds valid settings (billing's SIRET checked)."""
    _, resources = overlay
    [container] = resources[("Deployment", service)]["spec"]["template"]["spec"]["containers"]
    given = {e["name"]: e.get("value") for e in container["env"]}
    for source in container["envFrom"]:
        given |= resources[("ConfigMap", source["configMapRef"]["name"])]["data"]
    assert given["COLO_ENVIRONMENT"] == "production"
    settings = settings_of(service)
    for required in settings.REQUIRED:
        variable = f"COLO_{required.upper()}"
        assert given.get(variable) or given.get(f"{variable}_FILE"), f"{service} cannot start without {variable}"
    plain = {key: value for key, value in given.items() if key.startswith("COLO_") and not key.endswith("_FILE")
             and value is not None}
    values = {key.removeprefix("COLO_").lower(): value for key, value in plain.items()}
    values = {key: yaml.safe_load(value) if value.startswith("[") else value for key, value in values.items()}
    built = settings(**{key: value for key, value in values.items() if key in settings.model_fields})
    missing = [name for name in built.required() if not getattr(built, name)
               and f"COLO_{name.upper()}_FILE" not in given]
    assert not missing, f"{service}: {missing}"
