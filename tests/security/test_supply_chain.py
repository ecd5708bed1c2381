"""Supply chain: bandit finds nothing unreviewed in the shop's code, and pip-audit finds no known vulnerability
in the pinned requirements, but those on the reviewed allow-list (requirements/audit-allowlist.toml).

pip-audit asks its vulnerability service (the PyPI JSON API) about each pin: where that service cannot answer,
the audit fails and says so, since an audit that did not run proves nothing."""

import json
import re
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest

from tests.support.locks import read_lock

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = [ROOT / "requirements" / "base.txt", ROOT / "requirements" / "production.txt"]
ALLOW_LIST = ROOT / "requirements" / "audit-allowlist.toml"
VULNERABILITY_ID = re.compile(r"^(PYSEC-\d{4}-\d+|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|CVE-\d{4}-\d+)$")


def run(*command: str, timeout: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_bandit_finds_nothing_unreviewed():
    done = run("bandit", "-r", "shop", "cms", "oscar_forks", "-c", "bandit.yml", "-f", "json", "-q", timeout=300)

    report = json.loads(done.stdout)
    findings = [
        f"{issue['filename']}:{issue['line_number']} {issue['test_id']} {issue['issue_text']}"
        for issue in report["results"]
    ]
    assert findings == [], "fix these, or review each and mark its line `# nosec BXXX  # why`:\n" + "\n".join(findings)
    assert report["errors"] == []  # every file was read
    assert report["metrics"]["_totals"]["loc"] > 10_000  # the shop's code, not an empty folder
    assert done.returncode == 0, done.stderr[-2000:]


def allowed_vulnerabilities() -> list[dict]:
    return tomllib.loads(ALLOW_LIST.read_text()).get("ignore", [])


def test_every_allowed_vulnerability_is_reviewed():
    for entry in allowed_vulnerabilities():
        assert VULNERABILITY_ID.match(entry.get("id", "")), entry
        assert entry.get("package") and len(entry.get("reason", "")) >= 20, entry
        assert isinstance(entry.get("reviewed"), date), entry  # a TOML date: the day the advisory was read


def pinned_names() -> set[str]:
    return {name for requirements in REQUIREMENTS for name in read_lock(requirements)}  # normalised as pip-audit does


@pytest.mark.online
def test_pip_audit_finds_no_known_vulnerability_in_the_pins(tmp_path):
    report_path = tmp_path / "audit.json"
    ignored = [argument for entry in allowed_vulnerabilities() for argument in ("--ignore-vuln", entry["id"])]
    requirement_files = [argument for path in REQUIREMENTS for argument in ("-r", str(path))]

    done = run(
        "pip_audit",
        *requirement_files,
        "--disable-pip",  # read the pins; install nothing (the locks are hashed, so each pin is taken as it is)
        "--strict",  # a pin the service cannot answer for fails the audit instead of being skipped
        "--progress-spinner=off",
        "--format=json",
        f"--output={report_path}",
        *ignored,
        timeout=600,
    )

    if not report_path.exists() or not report_path.read_text().strip():
        raise AssertionError(
            "pip-audit did not audit the pinned requirements: its vulnerability service (the PyPI JSON API, "
            "https://pypi.org/pypi/<name>/<version>/json) could not answer for every pin, so nothing was "
            f"checked. pip-audit said:\n{done.stderr[-3000:]}"
        )
    report = json.loads(report_path.read_text())
    vulnerable = [
        f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {vuln['fix_versions'] or 'none'})"
        for dependency in report["dependencies"]
        for vuln in dependency.get("vulns", [])
    ]
    assert vulnerable == [], "upgrade these pins, or review and allow-list each:\n" + "\n".join(vulnerable)
    audited = {dependency["name"].lower().replace("_", "-").replace(".", "-") for dependency in report["dependencies"]}
    assert audited == pinned_names()
    assert not [dependency for dependency in report["dependencies"] if dependency.get("skip_reason")]
    assert done.returncode == 0, done.stderr[-3000:]
