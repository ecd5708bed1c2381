"""Project-level promises: production settings are safe, migrations are complete, lint is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.production import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[1]


def manage(*args, env_overrides=None, drop=()):
    inherited_out = {*PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in inherited_out}
    env.update(env_overrides or {})
    for name in drop:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        "--settings=shop.settings.production",
        env_overrides=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "MOLLIE_API_KEY",
        "SHOP_BASE_URL",
        "DHL_PUSH_SECRET",
        "SHOP_TRUSTED_PROXIES",
    ],
)
def test_production_refuses_to_start_without_a_secret(missing):
    result = manage("check", "--settings=shop.settings.production", env_overrides=PRODUCTION_ENV, drop=[missing])
    assert result.returncode != 0
    assert f"{missing} is required in production" in result.stderr


@pytest.mark.parametrize(
    ("stated", "proxies"),
    [("", "[]"), ("10.0.0.2/32, 2001:db8::5", "['10.0.0.2/32', '2001:db8::5/128']")],
)
def test_production_takes_the_trusted_proxies_as_stated_and_an_empty_list_means_none(stated, proxies):
    probe = "from django.conf import settings as s; print(s.SHOP_TRUSTED_PROXIES)"
    env = {**PRODUCTION_ENV, "SHOP_TRUSTED_PROXIES": stated}

    result = manage("shell", "--settings=shop.settings.production", "-c", probe, env_overrides=env)

    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip().splitlines()[-1] == proxies


def test_production_refuses_a_trusted_proxy_that_is_not_a_network():
    env = {**PRODUCTION_ENV, "SHOP_TRUSTED_PROXIES": "10.0.0.0/8,proxy.internal"}

    result = manage("check", "--settings=shop.settings.production", env_overrides=env)

    assert result.returncode != 0
    assert "SHOP_TRUSTED_PROXIES: 'proxy.internal' is not an IP network" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "refused"),
    [
        ({"MOLLIE_API_KEY": "test_abcdefghijklmnopqrstuvwxyz0123"}, True),
        ({"MOLLIE_API_ENDPOINT": "http://127.0.0.1:8001"}, True),
        ({"MOLLIE_API_KEY": "test_abcdefghijklmnopqrstuvwxyz0123", "MOLLIE_TEST_MODE": "true"}, False),
    ],
)
def test_production_takes_real_money_unless_it_says_it_is_staging(overrides, refused):
    result = manage("check", "--settings=shop.settings.production", env_overrides={**PRODUCTION_ENV, **overrides})

    assert (result.returncode != 0) is refused, result.stderr[-500:]
    assert ("must be a live_ key" in result.stderr) is refused


def test_models_and_migrations_agree():
    result = manage(
        "makemigrations", "--check", "--dry-run", env_overrides={"DJANGO_SETTINGS_MODULE": "shop.settings.test"}
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_uses_redis_for_broker_cache_and_scheduler_lock():
    probe = (
        "from django.conf import settings as s;"
        "print(s.DRAMATIQ_BROKER['BROKER'], s.CACHES['default']['BACKEND'], s.DRAMATIQ_CRONTAB['REDIS_URL'],"
        " s.SHOP_IN_PROCESS_WORKER, s.SESSION_COOKIE_SECURE)"
    )
    result = manage("shell", "--settings=shop.settings.production", "-c", probe, env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "dramatiq.brokers.redis.RedisBroker",
        "django_redis.cache.RedisCache",
        PRODUCTION_ENV["REDIS_URL"],
        "False",
        "True",
    ]


def test_production_sends_browsers_to_https_but_not_scrapers_and_load_balancers():
    probe = (
        "from django.test import RequestFactory;"
        "from django.middleware.security import SecurityMiddleware;"
        "check = SecurityMiddleware(lambda r: None).process_request;"
        "paths = ('/healthz', '/readyz', '/metrics', '/shop/');"
        "host = {'HTTP_HOST': 'shop.example.com'};"
        "print(*[getattr(check(RequestFactory().get(p, **host)), 'status_code', 'served') for p in paths])"
    )
    result = manage("shell", "--settings=shop.settings.production", "-c", probe, env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["served", "served", "served", "301"]


def test_production_cookies_are_secure_httponly_and_same_site():
    probe = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_AGE)"
    )
    result = manage("shell", "--settings=shop.settings.production", "-c", probe, env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "True", "Lax", "True", str(14 * 24 * 60 * 60)]
