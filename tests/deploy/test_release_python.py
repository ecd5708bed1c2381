"""The release on the Python production runs: Debian 13's python3 is 3.13, while the suite runs on 3.11.

The release is built as deploy.yml builds it (a virtualenv from the hashed production lock, line by line,
then `pip check`), on the interpreter named by SHOP_RELEASE_PYTHON (default `python3.13`), and then does
what a release does before and after its switch: `check --deploy`, `migrate` and `bootstrap_shop` into a
scratch database, `collectstatic`, and gunicorn serving /readyz and the storefront with the production
settings. It uses the machine's PostgreSQL (a database of its own, dropped afterwards) and Redis db 15."""

import glob
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from tests.support.production import PRODUCTION_ENV
from tests.support.servers import free_port
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
RELEASE_VERSION = "3.13"


def release_interpreter() -> str | None:
    """SHOP_RELEASE_PYTHON, else a python3.13 that runs: Debian's, or pyenv's (whose shim fails unless selected)."""
    candidates = [os.environ.get("SHOP_RELEASE_PYTHON"), shutil.which(f"python{RELEASE_VERSION}")]
    pyenv = os.path.expanduser(f"~/.pyenv/versions/{RELEASE_VERSION}*/bin/python{RELEASE_VERSION}")
    candidates += sorted(glob.glob(pyenv))
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "--version"], capture_output=True, timeout=30).returncode == 0:
            return candidate
    return None


def psql(*sql: str) -> None:
    for statement in sql:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", statement], check=True, timeout=60)


@pytest.fixture(scope="module")
def release_venv(tmp_path_factory) -> Path:
    interpreter = release_interpreter()
    if interpreter is None:
        pytest.fail(f"no Python {RELEASE_VERSION}: production runs Debian 13's; set SHOP_RELEASE_PYTHON to one")
    venv = tmp_path_factory.mktemp("release") / "venv"
    subprocess.run([interpreter, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--require-hashes"]
        + ["-r", str(ROOT / "requirements" / "production.txt")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    check = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout
    return venv


@pytest.fixture(scope="module")
def release_env(tmp_path_factory):
    database = f"shop_release_{uuid.uuid4().hex[:8]}"
    psql(f"CREATE DATABASE {database}")
    static = tmp_path_factory.mktemp("release-files")
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))},
        **PRODUCTION_ENV,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "SHOP_TRUSTED_PROXIES": "127.0.0.1/32",
        "MEDIA_STORAGE": "filesystem",  # one host's disk: the object-storage test covers the buckets
        "STATIC_ROOT": str(static / "static"),
        "MEDIA_ROOT": str(static / "media"),
        "PRIVATE_MEDIA_ROOT": str(static / "private"),
        "DJANGO_SETTINGS_MODULE": "shop.settings.production",
    }
    try:
        yield env
    finally:
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def manage(venv: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    python = str(venv / "bin" / "python")
    result = subprocess.run(
        [python, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


def test_the_release_installs_migrates_and_serves_on_the_production_python(release_venv, release_env):
    version = subprocess.run(
        [str(release_venv / "bin" / "python"), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert version != f"{sys.version_info[0]}.{sys.version_info[1]}", "the release must be tried on another Python"

    assert "no issues" in manage(release_venv, release_env, "check", "--deploy").stdout
    manage(release_venv, release_env, "migrate", "--noinput", "-v", "0")
    assert "Shop ready" in manage(release_venv, release_env, "bootstrap_shop").stdout
    manage(release_venv, release_env, "collectstatic", "--noinput", "-v", "0")
    assert (Path(release_env["STATIC_ROOT"]) / "staticfiles.json").exists()

    port = free_port()
    gunicorn = subprocess.Popen(
        [str(release_venv / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1", "shop.wsgi"],
        cwd=ROOT,
        env=release_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    proxied = {"Host": "shop.example.com", "X-Forwarded-Proto": "https"}  # as nginx passes them
    try:
        wait_until(
            lambda: gunicorn.poll() is not None or _answers(f"{base}/healthz", proxied),
            timeout=180,
            what="gunicorn on the release's Python",
        )
        assert gunicorn.poll() is None, "gunicorn stopped"
        assert requests.get(f"{base}/readyz", headers=proxied, timeout=10).status_code == 200
        home = requests.get(f"{base}/", headers=proxied, timeout=30, allow_redirects=False)
        assert home.status_code == 200, home.text[:500]
        assert "<html" in home.text
        catalogue = requests.get(f"{base}/shop/catalogue/", headers=proxied, timeout=30, allow_redirects=False)
        assert catalogue.status_code == 200, catalogue.text[:500]
    finally:
        gunicorn.terminate()
        _, errors = gunicorn.communicate(timeout=30)
    assert "Traceback" not in errors, errors[-3000:]


def _answers(url: str, headers: dict) -> bool:
    try:
        return requests.get(url, headers=headers, timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or still booting
        return False
