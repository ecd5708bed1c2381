"""A real converge of the single-host playbook (site.yml) into a throwaway Debian 13 root, through
Ansible's chroot connection (community.general.chroot): packages installed, configurations written,
units enabled; nothing started (shop_manage_services=false; a policy-rc.d refuses the packages' own
starts). Run twice: the second run must change nothing. The machine's own PostgreSQL and Redis (the
tests' services) must be the same processes after it as before.

Debian 13 (trixie), not 12: the pins need Python >= 3.11.5, and Debian 12's python3 is 3.11.2.
The base system is cached per suite and package list (DEBOOTSTRAP_CACHE): about 20 s to download once,
then ~30 s to unpack; each converge takes 1-3 minutes."""

import hashlib
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.deploy.conftest import playbook

SUITE = "trixie"
MIRROR = os.environ.get("DEBIAN_MIRROR", "http://deb.debian.org/debian")
INCLUDE = "python3,python3-apt,systemd,dbus,ca-certificates,gnupg"
CACHE = Path(os.environ.get("DEBOOTSTRAP_CACHE", "/var/cache/shop-deploy-tests"))


def debootstrap(*args: str) -> None:
    executable = shutil.which("debootstrap") or shutil.which("debootstrap", path="/usr/sbin:/sbin")
    if executable is None:
        pytest.fail("debootstrap is missing: run `make services` (.ci/ensure-services installs it)")
    result = subprocess.run(
        [executable, "--variant=minbase", f"--include={INCLUDE}", *args], capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def host_services() -> tuple[str, str]:
    """Who the machine's PostgreSQL and Redis are: their start time and run id."""
    postgres = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-At", "-c", "select pg_postmaster_start_time()"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    redis = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "info", "server"], capture_output=True, text=True, timeout=30
    ).stdout
    run_id = re.search(r"run_id:(\w+)", redis)
    return postgres, run_id[1] if run_id else ""


@pytest.fixture
def debian_root(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.fail("the converge needs root (debootstrap, chroot, mount): CI and `make test` run as root")
    key = hashlib.sha256(f"{SUITE} {INCLUDE}".encode()).hexdigest()[:12]
    tarball = CACHE / f"debootstrap-{SUITE}-{key}.tgz"
    if not tarball.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        scratch = tmp_path_factory.mktemp("debootstrap-download")
        partial = tarball.with_suffix(".partial")
        debootstrap(f"--make-tarball={partial}", SUITE, str(scratch / "root"), MIRROR)
        partial.rename(tarball)
    root = Path("/var/tmp") / f"shop-converge-{os.getpid()}"
    shutil.rmtree(root, ignore_errors=True)
    debootstrap(f"--unpack-tarball={tarball}", SUITE, str(root), MIRROR)
    # No package may start a service in the root (its postinst asks invoke-rc.d, which asks this).
    (root / "usr/sbin/policy-rc.d").write_text("#!/bin/sh\nexit 101\n")
    (root / "usr/sbin/policy-rc.d").chmod(0o755)
    shutil.copy("/etc/resolv.conf", root / "etc/resolv.conf")
    # Only the root's own /proc and an empty /dev/shm: nothing of the machine's /dev or /run is shared.
    mounts = [root / "proc", root / "dev/shm"]
    subprocess.run(["mount", "-t", "proc", "proc", str(mounts[0])], check=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256m", "shop-converge-shm", str(mounts[1])], check=True)
    try:
        yield root
    finally:
        for mount in reversed(mounts):
            subprocess.run(["umount", "--lazy", str(mount)], check=False)
        if not any(str(root) in line for line in Path("/proc/self/mounts").read_text().splitlines()):
            shutil.rmtree(root, ignore_errors=True)


def converge(root: Path) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = playbook(
        "single",
        "site.yml",
        "-e",
        "ansible_connection=community.general.chroot",
        "-e",
        f"ansible_host={root}",
        "-e",
        "ansible_become=false",
        "-e",
        "shop_manage_services=false",
        "-e",
        "shop_grafana_enabled=false",  # Grafana's apt repository is not a Debian mirror: not reachable here
        timeout=1500,
    )
    return result, time.monotonic() - started


def recap(result: subprocess.CompletedProcess) -> dict[str, int]:
    line = re.search(r"^shop1\s+:\s+(.*)$", result.stdout, re.M)
    assert line, result.stdout[-4000:] + result.stderr[-2000:]
    return {name: int(count) for name, count in re.findall(r"(\w+)=(\d+)", line[1])}


def test_the_single_host_playbook_converges_into_a_debian_root_and_a_second_run_changes_nothing(debian_root):
    before = host_services()

    first, first_seconds = converge(debian_root)
    assert first.returncode == 0, first.stdout[-6000:] + first.stderr[-2000:]
    second, second_seconds = converge(debian_root)
    assert second.returncode == 0, second.stdout[-6000:] + second.stderr[-2000:]

    assert recap(first)["changed"] > 0
    assert recap(second)["changed"] == 0, re.findall(r"^changed: .*$", second.stdout, re.M)
    print(f"converge: first run {first_seconds:.0f} s, second run {second_seconds:.0f} s")
    wants = {p.name for p in (debian_root / "etc/systemd/system/multi-user.target.wants").iterdir()}
    expected = {"shop-web.service", "shop-scheduler.service", "nginx.service", "prometheus.service"}
    expected |= {f"shop-worker-{q}.service" for q in ("emails", "payments", "tracking", "search", "default")}
    expected |= {"redis-server@broker.service", "redis-server@cache.service", "postgresql@17-main.service"}
    assert expected <= wants
    assert "maxmemory-policy noeviction" in (debian_root / "etc/redis/redis-broker.conf").read_text()
    # Nothing of the root runs, and the machine's own PostgreSQL and Redis are the same processes.
    running = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(debian_root) not in running
    assert host_services() == before
