"""Production carries no development tools: under shop.settings.production the simulators, their loopback server
and the runserver that starts them are neither installed nor importable through anything the shop loads.

A fresh process per run (tests/support/product_imports.py): this test process has the tools loaded already."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.production import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]


def imports_under(settings_module: str, env: dict[str, str] | None = None) -> dict:
    """What tests.support.product_imports reports after importing everything a process on these settings may."""
    inherited = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.product_imports"],
        cwd=ROOT,
        env={**inherited, **(env or {}), "DJANGO_SETTINGS_MODULE": settings_module},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_neither_installs_nor_imports_the_development_tools():
    report = imports_under("shop.settings.production", PRODUCTION_ENV)

    assert report["installed_devtools"] == []
    assert report["loaded_devtools"] == []
    assert report["commands"] == {"runserver": "django.contrib.staticfiles"}  # Django's own, starting nothing
    # The probe did load the shop: its URLconf, payments, carriers, social login and CMS.
    assert {"shop.urls", "shop.payments.mollie", "shop.fulfilment.carriers.postnl", "shop.accounts.providers"} <= set(
        report["loaded"]
    )
    assert {"cms.models", "oscar_forks.checkout.views"} <= set(report["loaded"])


def test_the_probe_sees_the_tools_where_they_are_installed():
    """The same probe under the test settings finds the tools: an empty list above means absent, not unseen."""
    report = imports_under("shop.settings.test")

    assert report["installed_devtools"] == ["shop.devtools"]
    assert "shop.devtools" in report["loaded_devtools"]
    assert report["commands"] == {"runserver": "shop.devtools", "simulators": "shop.devtools"}
