"""Every template of ansible/roles rendered with each inventory's variables (conftest.rendered), then
checked by the tool that will read it: nginx -t, systemd-analyze verify, nft -c, promtool, Python, and
the shop's own production settings reading the rendered environment file."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.conftest import ROOT, hosts_in


def tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path is None:
        pytest.fail(f"{name} is missing: run `make services` (.ci/ensure-services installs it)")
    return path


def test_nginx_accepts_each_web_nodes_site(rendered, tmp_path):
    _, root = rendered
    for host in hosts_in(root, "web"):
        wrapper = tmp_path / f"{host.name}-nginx.conf"
        wrapper.write_text(
            f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
            f"http {{\n    include /etc/nginx/mime.types;\n    include {host}/etc/nginx/conf.d/shop.conf;\n}}\n"
        )
        result = subprocess.run(
            [tool("nginx"), "-t", "-p", str(tmp_path), "-c", str(wrapper)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, f"{host.name}: {result.stderr}"
        site = (host / "etc/nginx/conf.d/shop.conf").read_text()
        assert 'add_header Cache-Control "public, max-age=31536000, immutable"' in site  # static files
        assert site.count("location = /metrics {\n        return 404;") == 2  # neither port serves it
        assert "location /media/" not in site  # media come from the object store, not from this host's disk
        assert "ssl_reject_handshake on" in site  # an unknown name never reaches the shop


def test_systemd_accepts_every_unit(rendered, tmp_path):
    """systemd-analyze verify in a root holding the units, systemd's own units, and stand-ins for the
    programs they start (the releases and packages are not on this machine)."""
    _, root = rendered
    for host in root.iterdir():
        units = sorted(p.name for p in (host / "etc/systemd/system").iterdir())
        system = tmp_path / host.name
        shutil.copytree(host / "etc", system / "etc")
        shutil.copytree("/lib/systemd/system", system / "usr/lib/systemd/system", symlinks=True)
        for unit in units:
            for command in re.findall(r"^Exec\w+=(\S+)", (system / "etc/systemd/system" / unit).read_text(), re.M):
                stand_in = system / command.lstrip("/")
                stand_in.parent.mkdir(parents=True, exist_ok=True)
                stand_in.write_text("#!/bin/sh\n")
                stand_in.chmod(0o755)
        result = subprocess.run(
            [tool("systemd-analyze"), "verify", f"--root={system}", *units], capture_output=True, text=True, timeout=120
        )
        assert (result.returncode, result.stderr.strip()) == (0, ""), f"{host.name}: {result.stderr}"
        assert "shop-web.service" in units and "shop-worker-payments.service" in units


def test_each_queue_has_its_worker_unit_with_a_graceful_stop(rendered):
    _, root = rendered
    for host in hosts_in(root, "workers"):
        for queue in ("emails", "payments", "tracking", "search", "default"):
            unit = (host / f"etc/systemd/system/shop-worker-{queue}.service").read_text()
            assert f"manage.py worker --queues {queue} " in unit
            stop = int(re.search(r"^TimeoutStopSec=(\d+)$", unit, re.M)[1])
            shutdown_ms = int(re.search(r"--worker-shutdown-timeout (\d+)", unit)[1])
            assert "KillSignal=SIGTERM" in unit and shutdown_ms < stop * 1000  # Dramatiq finishes before systemd kills


def test_the_firewall_rules_parse(rendered):
    _, root = rendered
    for host in root.iterdir():
        result = subprocess.run(
            [tool("nft"), "-c", "-f", str(host / "etc/nftables.conf")], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, f"{host.name}: {result.stderr}"


def test_prometheus_accepts_the_rendered_configuration_with_the_repositorys_rules(rendered, tmp_path):
    _, root = rendered
    (monitoring,) = hosts_in(root, "monitoring")
    config = (monitoring / "etc/prometheus/prometheus.yml").read_text()
    rules = ROOT / "ops/prometheus/alerts.yml"
    local = tmp_path / "prometheus.yml"
    local.write_text(config.replace("/etc/prometheus/rules/*.yml", str(rules)))
    check = [tool("promtool"), "check", "config", str(local)]
    result = subprocess.run(check, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    for job in ("shop-web", "shop-worker", "node", "redis", "postgres", "blackbox"):  # what the rules expect
        assert f"job_name: {job}\n" in config


def test_the_redis_servers_keep_the_broker_and_evict_the_cache(rendered):
    _, root = rendered
    for host in hosts_in(root, "redis"):
        broker = (host / "etc/redis/redis-broker.conf").read_text()
        cache = (host / "etc/redis/redis-cache.conf").read_text()
        assert {"maxmemory-policy noeviction", "appendonly yes", "appendfsync everysec"} <= set(broker.splitlines())
        assert {"maxmemory-policy allkeys-lru", "appendonly no"} <= set(cache.splitlines())


def test_gunicorns_configuration_is_python(rendered):
    _, root = rendered
    for host in hosts_in(root, "web"):
        source = (host / "etc/shop/gunicorn.conf.py").read_text()
        compile(source, "gunicorn.conf.py", "exec")


def read_environment_file(path: Path) -> dict[str, str]:
    r"""systemd's EnvironmentFile= syntax as the template writes it: NAME="value", \ \" \` \$ escaped."""
    environment = {}
    for line in path.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, quoted = line.partition("=")
        assert quoted.startswith('"') and quoted.endswith('"'), line
        environment[name] = re.sub(r"\\([\\\"`$])", r"\1", quoted[1:-1])
    return environment


def test_production_settings_start_with_the_rendered_environment(rendered):
    _, root = rendered
    for host in hosts_in(root, "web")[:1] + hosts_in(root, "workers")[:1]:
        environment = read_environment_file(host / "etc/shop/shop.env")
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env={**inherited, **environment},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert environment["DJANGO_SETTINGS_MODULE"] == "shop.settings.production"
        assert result.returncode == 0, f"{host.name}: {result.stdout[-2000:]}{result.stderr[-3000:]}"
        assert "no issues" in result.stdout
        # Media and private files live in the object store's two buckets, with the keys from the vault.
        assert environment["MEDIA_STORAGE"] == "s3"
        assert environment["S3_MEDIA_BUCKET"] != environment["S3_PRIVATE_BUCKET"]
        assert environment["S3_SECRET_ACCESS_KEY"] == "example-shop-s3-secret-key"
        # The broker and the cache are two Redis servers, each with its own password.
        assert environment["BROKER_URL"].rsplit(":", 1)[-1] != environment["REDIS_URL"].rsplit(":", 1)[-1]
