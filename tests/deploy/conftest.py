"""What the deployment tests share: the ansible/ tree, its tools from this virtualenv, and the inventories'
templates rendered once per inventory (render.yml) into a temporary root per host."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE = ROOT / "ansible"
BIN = Path(sys.executable).parent
INVENTORIES = ("single", "multi")
PLAYBOOKS = ("site.yml", "deploy.yml", "rollback.yml", "backup.yml", "restore.yml")
VAULT_PASSWORD = ANSIBLE / "example-vault-password.txt"


def ansible_env() -> dict:
    env = {**os.environ, "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def run(*command: str, timeout: int = 600, cwd: Path = ANSIBLE) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=ansible_env(), capture_output=True, text=True, timeout=timeout)


def playbook(inventory: str, name: str, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return run(
        str(BIN / "ansible-playbook"),
        "-i",
        f"inventories/{inventory}",
        "--vault-password-file",
        str(VAULT_PASSWORD),
        name,
        *args,
        timeout=timeout,
    )


@pytest.fixture(scope="session", params=INVENTORIES)
def rendered(request, tmp_path_factory) -> tuple[str, Path]:
    """Every template of the roles, rendered for every host of one inventory: (inventory, root), where
    root/<host>/etc/... holds what that host would get."""
    inventory = request.param
    root = tmp_path_factory.mktemp(f"rendered-{inventory}")
    result = playbook(
        inventory,
        str(ROOT / "tests" / "deploy" / "render.yml"),
        "--tags",
        "render",
        "--forks",
        "8",
        "-e",
        f"render_root={root}",
        "-e",
        "postgresql_version=17",
        "-e",
        "ansible_become=false",
        "-e",
        f"ansible_python_interpreter={sys.executable}",
        "-e",
        "nginx_conf_dir={{ render_root }}/{{ inventory_hostname }}/etc/nginx",
        "-e",
        "nginx_tls_dir={{ render_root }}/{{ inventory_hostname }}/etc/ssl/shop",
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return inventory, root


def hosts_in(root: Path, group: str) -> list[Path]:
    """The rendered hosts of an inventory group."""
    return sorted(host for host in root.iterdir() if group in (host / "groups").read_text().split())
