"""The alert rules as code: promtool validates them and runs their unit tests (cases that fire and
cases that stay silent), and docs/operations.md has a runbook for every alert."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from prometheus_client import REGISTRY, generate_latest
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "ops" / "prometheus" / "alerts.yml"
RULE_TESTS = ROOT / "ops" / "prometheus" / "alerts_test.yml"
RUNBOOKS = ROOT / "docs" / "operations.md"
DASHBOARD = ROOT / "ops" / "grafana" / "shop.json"
# Served by another part of the shop that this checkout may not have yet: the durable dead letters' gauge.
ELSEWHERE = {"shop_dead_letters"}
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",), "unknown": ("",)}


def alert_names() -> list[str]:
    return re.findall(r"^\s*- alert: (\w+)\s*$", RULES.read_text(), flags=re.MULTILINE)


def promtool(*args: str) -> subprocess.CompletedProcess:
    executable = shutil.which("promtool")
    if executable is None:
        pytest.fail("promtool is missing: run `make services` (.ci/ensure-services installs Debian's prometheus)")
    return subprocess.run([executable, *args], cwd=RULES.parent, capture_output=True, text=True, timeout=120)


def test_promtool_accepts_the_rules_and_the_example_configuration():
    result = promtool("check", "rules", RULES.name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_names())} rules found" in result.stdout
    config = promtool("check", "config", "prometheus.yml")
    assert config.returncode == 0, config.stdout + config.stderr


def test_the_rules_pass_their_unit_tests():
    result = promtool("test", "rules", RULE_TESTS.name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_alert_has_a_case_that_fires_and_the_drills_fire():
    cases = re.split(r"^\s*- eval_time:", RULE_TESTS.read_text(), flags=re.MULTILINE)[1:]
    firing = {re.search(r"alertname: (\w+)", case).group(1) for case in cases if "exp_labels" in case}
    silent = {re.search(r"alertname: (\w+)", case).group(1) for case in cases if "exp_alerts: []" in case}
    assert set(alert_names()) <= firing, f"no firing case for {sorted(set(alert_names()) - firing)}"
    # The drills: a stopped scheduler, and a paid order ten minutes without its confirmation.
    assert {"ShopSchedulerStopped", "ShopPaidOrderUnconfirmed"} <= firing & silent


def test_every_alert_has_a_runbook_in_the_operations_doc_and_every_runbook_an_alert():
    operations = RUNBOOKS.read_text()
    section = operations.split("## Alerts and runbooks", 1)[1]
    section = re.split(r"^#{2,3} ", section, maxsplit=1, flags=re.MULTILINE)[0]
    runbooks = re.findall(r"^- \*\*(\w+)\*\*", section, flags=re.MULTILINE)
    assert sorted(runbooks) == sorted(alert_names())
    assert len(set(alert_names())) == len(alert_names())


@pytest.mark.django_db
def test_the_alerts_and_the_dashboard_use_only_series_the_shop_serves():
    exposed = {
        family.name + suffix
        for family in text_string_to_metric_families(generate_latest(REGISTRY).decode())
        for suffix in SUFFIXES[family.type]
    }
    dashboard = json.loads(DASHBOARD.read_text())
    queries = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    used = set(re.findall(r"\b(?:shop|dramatiq)_\w+", RULES.read_text() + "\n".join(queries)))
    assert used - ELSEWHERE <= exposed, sorted(used - ELSEWHERE - exposed)
    assert len({panel["id"] for panel in dashboard["panels"]}) == len(dashboard["panels"])
