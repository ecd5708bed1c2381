"""Project-level promises: production settings are safe, migrations are complete, lint is clean, and the
README's and docs' relative links lead somewhere."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from tests.support.locks import (
    LAYERS,
    REQUIREMENTS,
    all_direct_requirements,
    direct_requirements,
    included_files,
    read_lock,
)
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
        "MEDIA_STORAGE",
    ],
)
def test_production_refuses_to_start_without_a_secret(missing):
    result = manage("check", "--settings=shop.settings.production", env_overrides=PRODUCTION_ENV, drop=[missing])
    assert result.returncode != 0
    assert f"{missing} is required in production" in result.stderr


@pytest.mark.parametrize("missing", ["S3_MEDIA_BUCKET", "S3_PRIVATE_BUCKET", "S3_REGION", "S3_SECRET_ACCESS_KEY"])
def test_production_on_object_storage_refuses_to_start_without_its_buckets_and_keys(missing):
    result = manage("check", "--settings=shop.settings.production", env_overrides=PRODUCTION_ENV, drop=[missing])
    assert result.returncode != 0
    assert f"MEDIA_STORAGE=s3 needs {missing}" in result.stderr


@pytest.mark.parametrize(
    ("storage", "expected"),
    [
        ("s3", "https://objects.example.com/shop-media/ shop.infrastructure.storage.MediaStorage"),
        ("filesystem", "/media/ django.core.files.storage.FileSystemStorage"),
    ],
)
def test_production_keeps_media_where_it_is_told(storage, expected):
    """s3 for any number of hosts; filesystem for one host, which then needs no S3 variable at all."""
    probe = "from django.conf import settings as s; print(s.MEDIA_URL, s.STORAGES['default']['BACKEND'])"
    env = {name: value for name, value in PRODUCTION_ENV.items() if not name.startswith("S3_")}
    if storage == "s3":
        env = PRODUCTION_ENV
    result = manage(
        "shell", "--settings=shop.settings.production", "-c", probe, env_overrides={**env, "MEDIA_STORAGE": storage}
    )

    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip().splitlines()[-1] == expected


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


# The documents a reader follows links through: the README, docs/, and the README of each top-level folder.
DOCUMENTS = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted(path for path in ROOT.glob("*/README.md") if not path.parent.name.startswith(".")),
]
FENCED_CODE = re.compile(r"^```.*?^```", flags=re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _prose(path: Path) -> str:
    """The text outside code: a bracket in a code sample is not a link, a `#` line in one is not a heading."""
    return FENCED_CODE.sub("", path.read_text())


def _anchors(path: Path) -> set[str]:
    """The heading anchors GitHub makes: lower case, punctuation dropped, spaces as hyphens, repeats numbered."""
    anchors: set[str] = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *#* *$", _prose(path), flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        anchor, repeat = slug, 0
        while anchor in anchors:
            repeat += 1
            anchor = f"{slug}-{repeat}"
        anchors.add(anchor)
    return anchors


def _broken_links(path: Path) -> list[str]:
    broken = []
    for target in LINK.findall(INLINE_CODE.sub("code", _prose(path))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:: not ours to check offline
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and (linked.suffix != ".md" or anchor not in _anchors(linked)):
            broken.append(f"{target} (no such heading)")
    return broken


def test_every_relative_link_in_the_readme_and_docs_points_to_an_existing_file_and_heading():
    assert ROOT / "README.md" in DOCUMENTS
    broken = {str(path.relative_to(ROOT)): links for path in DOCUMENTS if (links := _broken_links(path))}
    assert broken == {}


@pytest.mark.parametrize("layer", LAYERS)
def test_every_direct_dependency_is_locked_at_its_version_with_hashes(layer):
    """An .in edited without `make lock` fails here: its lock lacks the package, or pins another version."""
    lock = read_lock(REQUIREMENTS / f"{layer}.txt")

    for requirement in all_direct_requirements(REQUIREMENTS / f"{layer}.in"):
        pin = lock.get(canonicalize_name(requirement.name))
        assert pin, f"{requirement} is in requirements/{layer}.in but not in {layer}.txt: run `make lock`"
        assert requirement.specifier.contains(pin.version, prereleases=True), (
            f"requirements/{layer}.in wants {requirement}, {layer}.txt has {pin.version}: run `make lock`"
        )
    assert [name for name, pin in lock.items() if not pin.hashes] == []  # pip --require-hashes takes none without
    assert "#    make lock\n" in (REQUIREMENTS / f"{layer}.txt").read_text()  # the header says how to remake it


@pytest.mark.parametrize("layer", LAYERS)
def test_every_locked_package_is_still_wanted(layer):
    """A package taken out of an .in without `make lock` fails here: nothing left in the lock or the .in asks for it."""
    lock = read_lock(REQUIREMENTS / f"{layer}.txt")
    named_in = {}  # "-r requirements/x.in" as the lock says it: the packages that file names itself
    files = [REQUIREMENTS / f"{layer}.in"]
    for path in files:  # and the files it includes with -r, theirs too
        files.extend(included_files(path, "-r"))
    for path in files:
        named_in[f"-r {path.relative_to(ROOT)}"] = {canonicalize_name(r.name) for r in direct_requirements(path)}

    def wanted(name, reason):
        return name in named_in.get(reason, ()) or canonicalize_name(reason) in lock  # a -c alone brings nothing

    unwanted = [name for name, pin in lock.items() if not any(wanted(name, reason) for reason in pin.via)]
    assert unwanted == [], f"requirements/{layer}.txt locks what nothing asks for any more: run `make lock`"


@pytest.mark.parametrize(("layer", "under"), [("dev", "base"), ("production", "base"), ("deploy", "dev")])
def test_each_lock_keeps_every_pin_of_the_lock_it_layers_on(layer, under):
    """Each layers on the one below with `-c`: what runs in production is what the tests ran, and the deployment
    tools the tests add move none of the packages the rest of the suite runs on."""
    assert REQUIREMENTS / f"{under}.txt" in included_files(REQUIREMENTS / f"{layer}.in", "-c")
    base, lock = read_lock(REQUIREMENTS / f"{under}.txt"), read_lock(REQUIREMENTS / f"{layer}.txt")

    moved = {name: (pin.version, lock[name].version if name in lock else None) for name, pin in base.items()}
    assert {name: versions for name, versions in moved.items() if len(set(versions)) > 1} == {}
