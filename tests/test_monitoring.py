"""ops/monitoring/: the alert rules load and fire when they should (promtool), and the dashboard's queries are valid
PromQL over metrics the services really export and events the catalogue really has."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import yaml
from prometheus_client import REGISTRY

import shared.app  # noqa: F401 - registers every Colo metric
from shared.events import Event

MONITORING = Path(__file__).resolve().parents[1] / "ops" / "monitoring"
DASHBOARD = json.loads((MONITORING / "dashboard.json").read_text(encoding="utf-8"))


def promtool() -> str:
    binary = shutil.which("promtool")
    assert binary, "no promtool: `make install` installs Debian's prometheus package (ops/sysdeps.sh)"
    return binary


def run_promtool(*args: str, cwd: Path = MONITORING) -> str:
    result = subprocess.run([promtool(), *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def colo_metrics() -> set[str]:
    """Every sample name Colo's processes export: counters' _total, histograms' _bucket ..."""
    names = set()
    for collector in REGISTRY.collect():
        if collector.name.startswith("colo_"):
            kinds = {"counter": ["_total"], "histogram": ["_bucket", "_sum", "_count"]}.get(collector.type, [""])
            names |= {collector.name + suffix for suffix in kinds}
    return names


def expressions() -> list[str]:
    return [target["expr"] for panel in DASHBOARD["panels"] for target in panel.get("targets", [])]


def test_the_alert_rules_load_and_fire_on_what_should_raise_them() -> None:
    assert "SUCCESS: 7 rules found" in run_promtool("check", "rules", "alerts.yaml")
    run_promtool("test", "rules", "alerts.test.yaml")
    rules = yaml.safe_load((MONITORING / "alerts.yaml").read_text(encoding="utf-8"))["groups"][0]["rules"]
    tested = {test["alertname"] for case in yaml.safe_load((MONITORING / "alerts.test.yaml").read_text())["tests"]
              for test in case["alert_rule_test"] if test.get("exp_alerts")}
    assert tested == {rule["alert"] for rule in rules}, "an alert no test sees firing"
    for rule in rules:
        assert set(re.findall(r"\bcolo_\w+", rule["expr"])) <= colo_metrics(), rule["alert"]


def test_the_dashboards_queries_are_valid_promql_over_exported_metrics(tmp_path: Path) -> None:
    """Each query as a recording rule, which promtool parses; `$service` stands for Grafana's variable."""
    queries = [query.replace("$service", ".*") for query in expressions()]
    assert len(queries) >= 15
    rules = {"groups": [{"name": "dashboard", "rules": [{"record": f"colo:dashboard_query_{i}", "expr": query}
                                                        for i, query in enumerate(queries)]}]}
    (tmp_path / "dashboard-rules.yaml").write_text(yaml.safe_dump(rules))
    run_promtool("check", "rules", "dashboard-rules.yaml", cwd=tmp_path)
    used = {name for query in queries for name in re.findall(r"\bcolo_\w+", query)}
    assert used <= colo_metrics(), used - colo_metrics()
    assert {"colo_outbox_backlog", "colo_outbox_oldest_seconds", "colo_dead_letters", "colo_events_handled_total",
            "colo_http_request_seconds_bucket", "colo_events_published_total"} <= used


def test_the_business_panels_count_events_the_catalogue_has() -> None:
    catalogue = {cls.TYPE for cls in _subclasses(Event) if getattr(cls, "TYPE", None)}
    counted = {t for query in expressions() for t in re.findall(r'event_type="([\w.]+)"', query)}
    assert {"orders.order.placed", "orders.order.option_expired", "billing.invoice.issued",
            "notifications.email.failed"} <= counted <= catalogue


def test_every_panel_reads_the_chosen_prometheus() -> None:
    assert DASHBOARD["uid"] and DASHBOARD["templating"]["list"][0]["type"] == "datasource"
    panels = [panel for panel in DASHBOARD["panels"] if panel["type"] != "row"]
    assert all(panel["datasource"]["uid"] == "${datasource}" and panel["targets"] for panel in panels)
    assert len({panel["id"] for panel in DASHBOARD["panels"]}) == len(DASHBOARD["panels"])


def _subclasses(cls: type) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in {direct, *_subclasses(direct)}}
