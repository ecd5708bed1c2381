"""`make run` offers the OpenID Connect simulator as "Demo identity provider"; no other settings register it.

The settings modules are read in fresh processes: this one runs on the test settings. The walk through the
provider on the dev server itself is in tests/e2e/test_social_login.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shop.devtools.conf import OIDC_PROVIDER_NAME, demo_identity_provider
from tests.support.production import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]
READ_PROVIDERS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS))"
)


def providers_under(settings_module: str, **env: str) -> dict:
    inherited = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and not k.startswith(("SHOP_", "OIDC"))}
    result = subprocess.run(
        [sys.executable, "-c", READ_PROVIDERS],
        cwd=ROOT,
        env={
            **inherited,
            # Never connected to; with DATABASE_URL set, dev.py starts no PostgreSQL server of its own.
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/shop",
            **env,
            "DJANGO_SETTINGS_MODULE": settings_module,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_dev_settings_register_the_simulator_where_runserver_starts_it():
    providers = providers_under("shop.settings.dev")

    assert providers["openid_connect"]["APPS"] == [demo_identity_provider("http://127.0.0.1:8003")]
    assert providers["openid_connect"]["OAUTH_PKCE_ENABLED"] is True  # the shop's hardening is kept
    moved = providers_under("shop.settings.dev", OIDC_SIMULATOR_URL="http://127.0.0.1:9003")
    assert moved["openid_connect"]["APPS"][0]["settings"] == {"server_url": "http://127.0.0.1:9003"}


def test_the_dev_settings_without_the_simulator_register_no_provider():
    assert "APPS" not in providers_under("shop.settings.dev", SHOP_OIDC_SIMULATOR="false")["openid_connect"]


def test_production_settings_register_no_provider():
    assert providers_under("shop.settings.production", **PRODUCTION_ENV) == {
        "openid_connect": {"OAUTH_PKCE_ENABLED": True}
    }


@pytest.mark.django_db
def test_the_test_settings_offer_no_provider_unless_a_test_adds_one(client, settings):
    assert "APPS" not in settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]
    assert OIDC_PROVIDER_NAME not in client.get("/accounts/login/").content.decode()
