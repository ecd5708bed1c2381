"""backup.yml and restore.yml run for real, with pgBackRest, against a scratch PostgreSQL cluster of this machine:
a backup, then the restore drill (which must replay the WAL archived after the backup, and leave the primary as
it was), then an in-place restore to a moment before some rows were deleted.

The scratch cluster is laid out as Debian's (its configuration apart from its data), configured by the postgresql
role's own templates and primary tasks (tests/deploy/scratch_primary.yml), listens on no TCP port, only on a socket
in its own temporary directory, and has its own pgBackRest configuration and posix repository there: nothing of
the machine's PostgreSQL (the tests' database), /etc/pgbackrest* or any system service is touched. The playbooks
reach it through an inventory of one local host whose variables name those paths; Ansible becomes postgres with su.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy.conftest import ANSIBLE, BIN, ROOT, ansible_env
from tests.support.waiting import wait_until

PORT = 55432  # no TCP (listen_addresses=''): the ports only name the sockets in the cluster's own directories
DRILL_PORT = 55433


def postgresql_bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not found:
        pytest.fail("PostgreSQL's server programs are missing (/usr/lib/postgresql/<version>/bin)")
    return found[-1].parent


def as_postgres(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        ["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True, timeout=120, cwd="/"
    )
    assert result.returncode == 0 or not check, f"{command}: {result.stdout[-2000:]}{result.stderr[-2000:]}"
    return result


@dataclass
class Scratch:
    root: Path
    bin_dir: Path

    data = property(lambda self: self.root / "data")
    config = property(lambda self: self.root / "config")
    socket = property(lambda self: self.root / "socket")
    repository = property(lambda self: self.root / "repository")
    drill = property(lambda self: self.root / "drill")
    drill_socket = property(lambda self: self.root / "drill-socket")

    def sql(self, query: str, database: str = "shop") -> str:
        command = ["psql", f"--host={self.socket}", f"--port={PORT}", f"--dbname={database}", "-XAt", "-c", query]
        return as_postgres(*command).stdout.strip()

    def archived(self) -> None:
        """Closes the current WAL segment and waits until archive_command (pgBackRest) has pushed it."""
        segment = self.sql("SELECT pg_walfile_name(pg_switch_wal())")
        wait_until(
            lambda: self.sql(f"SELECT coalesce(last_archived_wal >= '{segment}', false) FROM pg_stat_archiver") == "t",
            timeout=60,
            interval=0.1,
            what=f"WAL segment {segment} archived",
        )

    def variables(self) -> dict:
        """The paths and sizes of the scratch cluster, over the roles' production defaults."""
        return {
            "postgresql_version": self.bin_dir.parts[-2],
            "postgresql_bin_dir": str(self.bin_dir),
            "postgresql_data_dir": str(self.data),
            "postgresql_config_dir": str(self.config),
            "postgresql_socket_dir": str(self.socket),
            "postgresql_port": PORT,
            "postgresql_control": "pg_ctl",
            "postgresql_pg_ctl_log": str(self.root / "log/postgresql.log"),
            "postgresql_shared_buffers": "16MB",
            "postgresql_effective_cache_size": "64MB",
            "postgresql_maintenance_work_mem": "16MB",
            "postgresql_max_connections": 20,
            "pgbackrest_config_path": str(self.root / "pgbackrest"),
            "pgbackrest_repo_path": str(self.repository),
            "pgbackrest_log_path": str(self.root / "log"),
            "pgbackrest_lock_path": str(self.root / "lock"),
            "restore_dir": str(self.drill),
            "restore_socket_dir": str(self.drill_socket),
            "restore_port": DRILL_PORT,
            "vault_pgbackrest_cipher_pass": "scratch-cipher-passphrase",
            "vault_shop_db_password": "scratch-shop-password",
            "vault_postgresql_replication_password": "scratch-replication-password",
        }

    def playbook(self, name: str, *extra: dict) -> dict:
        """Runs a playbook against the scratch primary; returns the JSON callback's report."""
        command = [
            str(BIN / "ansible-playbook"),
            "-i",
            str(self.root / "hosts.yml"),
            "-e",
            f"@{self.root / 'vars.json'}",
        ]
        for variables in extra:
            command += ["-e", json.dumps(variables)]
        # No facts: they only name the PostgreSQL version, which the variables give. Pipelining: one process per task.
        env = {**ansible_env(), "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_GATHERING": "explicit"}
        env["ANSIBLE_PIPELINING"] = "true"
        result = subprocess.run([*command, name], cwd=ANSIBLE, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{name}: {result.stdout[-8000:]}{result.stderr[-3000:]}"
        return json.loads(result.stdout)

    def postmaster(self) -> str:
        return self.sql("SELECT pg_postmaster_start_time()")


def task_result(report: dict, task: str) -> dict:
    """The scratch host's result of the task named `task` in a JSON callback report."""
    for play in report["plays"]:
        for entry in play["tasks"]:
            if entry["task"]["name"] == task:
                return entry["hosts"]["scratch"]
    raise AssertionError(f"no task {task!r} in the report")


@pytest.fixture
def scratch():
    if os.geteuid() != 0:
        pytest.fail("the scratch cluster needs root (runuser to postgres): CI and `make test` run as root")
    if shutil.which("pgbackrest") is None:
        pytest.fail("pgbackrest is missing: run `make services` (.ci/ensure-services installs it)")
    # Not in pytest's tmp_path: postgres must reach it (pytest's base directory is root's only). In memory when
    # /dev/shm has room: the cluster, its copies and the repository are a few hundred files written and removed.
    shm = Path("/dev/shm")
    memory = shm.is_dir() and shutil.disk_usage(shm).free > 1 << 30
    root = Path(tempfile.mkdtemp(prefix="shop-pgbackrest-", dir=shm if memory else None))
    cluster = Scratch(root, postgresql_bin_dir())
    try:
        for name in ("config/conf.d", "socket", "repository", "log", "lock", "pgbackrest", "ansible-tmp"):
            (root / name).mkdir(parents=True)
        shutil.chown(root, "postgres", "postgres")
        for path in root.rglob("*"):
            shutil.chown(path, "postgres", "postgres")
        as_postgres(
            str(cluster.bin_dir / "initdb"),
            "--no-sync",
            "--encoding=UTF8",
            "--auth=peer",
            "--wal-segsize=1",
            str(cluster.data),
        )
        # Debian's layout: postgresql.conf, pg_hba.conf and pg_ident.conf beside the data, not in it.
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            shutil.move(cluster.data / name, cluster.config / name)
        with (cluster.config / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\ndata_directory = '{cluster.data}'\nhba_file = '{cluster.config}/pg_hba.conf'\n"
                f"ident_file = '{cluster.config}/pg_ident.conf'\ninclude_dir = 'conf.d'\n"
                "# After the role's shop.conf: no TCP, a socket of its own, no fsync (a throwaway cluster).\n"
                f"listen_addresses = ''\nunix_socket_directories = '{cluster.socket}'\nfsync = off\n"
            )
        inventory = {
            "all": {
                "children": {
                    "postgresql_primary": {"hosts": {"scratch": None}},
                    **{
                        group: {"hosts": {}}
                        for group in ("postgresql_replica", "web", "workers", "scheduler", "redis", "monitoring")
                    },
                },
                "hosts": {
                    "scratch": {
                        "ansible_connection": "local",
                        "ansible_python_interpreter": "/usr/bin/python3",  # the one python3-psycopg2 is for
                        "ansible_become_method": "su",
                        "ansible_remote_tmp": str(root / "ansible-tmp"),
                        "shop_address": "127.0.0.1",
                    }
                },
            }
        }
        (root / "hosts.yml").write_text(json.dumps(inventory))
        (root / "vars.json").write_text(json.dumps(cluster.variables()))
        cluster.playbook(str(ROOT / "tests/deploy/scratch_primary.yml"))
        yield cluster
    finally:
        for data in (cluster.data, cluster.drill):
            if (data / "postmaster.pid").exists():
                as_postgres(
                    str(cluster.bin_dir / "pg_ctl"), f"--pgdata={data}", "--mode=immediate", "stop", check=False
                )
        shutil.rmtree(root, ignore_errors=True)


def machine_state() -> tuple:
    """What the test must leave alone: the machine's PostgreSQL (the same server) and pgBackRest's own files."""
    started = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-XAt", "-c", "SELECT pg_postmaster_start_time()"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    files = {}
    for top in map(Path, ("/etc/pgbackrest.conf", "/etc/pgbackrest", "/var/log/pgbackrest", "/tmp/pgbackrest")):
        for path in [top, *(top.rglob("*") if top.is_dir() else [])]:
            files[path] = path.stat().st_mtime_ns if path.exists() else None
    return started, files


def orders(cluster: Scratch) -> list[str]:
    return cluster.sql("SELECT number FROM order_order ORDER BY number").split()


@pytest.fixture
def untouched_machine():
    before = machine_state()
    assert before[0], "the machine's PostgreSQL does not answer on 127.0.0.1:5432"
    yield
    assert machine_state() == before


def test_backup_then_the_restore_drill_and_a_restore_in_place_to_a_moment(untouched_machine, scratch):
    scratch.sql(
        "CREATE TABLE django_migrations (id serial PRIMARY KEY, app text NOT NULL, name text NOT NULL);"
        "CREATE TABLE order_order (id serial PRIMARY KEY, number text UNIQUE NOT NULL);"
        "INSERT INTO django_migrations (app, name) VALUES ('order', '0001'), ('order', '0002'), ('order', '0003');"
        "INSERT INTO order_order (number) VALUES ('100001'), ('100002');"
    )
    report = scratch.playbook("backup.yml")
    info = "\n".join(task_result(report, "List the backups in the repository")["stdout_lines"])
    assert "status: ok" in info and re.search(r"full backup: \S+F\n", info), info

    # Orders placed after the backup are only in the WAL archived since: the drill must replay it to find them.
    scratch.sql("INSERT INTO order_order (number) VALUES ('100003'), ('100004')")
    scratch.archived()
    started = scratch.postmaster()

    report = scratch.playbook("restore.yml")
    answer = task_result(report, "Check the restored shop (tables, their rows, and the last transaction replayed)")
    assert answer["stdout"].startswith("3 migrations, 4 orders, last transaction replayed at "), answer["stdout"]
    # It removed its copy, archived nothing (its own timeline stays out of the repository), and the primary is
    # the same server with the same rows.
    assert not scratch.drill.exists() and not scratch.drill_socket.exists()
    assert str(scratch.drill) not in subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert not list((scratch.repository / "archive").rglob("*.history"))
    assert scratch.postmaster() == started
    assert orders(scratch) == ["100001", "100002", "100003", "100004"]
    assert scratch.sql("SELECT pg_is_in_recovery()") == "f"

    # A mistake, then the restore in place to the moment before it.
    before_the_mistake = scratch.sql("SELECT clock_timestamp()")
    scratch.sql("DELETE FROM order_order WHERE number > '100001'")
    scratch.archived()
    assert orders(scratch) == ["100001"]

    scratch.playbook("restore.yml", {"restore_in_place": True, "restore_target_time": before_the_mistake})
    assert orders(scratch) == ["100001", "100002", "100003", "100004"]
    assert scratch.postmaster() != started
    # The restored primary takes writes on a new timeline, and archives them.
    assert scratch.sql("SELECT timeline_id FROM pg_control_checkpoint()") == "2"
    scratch.sql("INSERT INTO order_order (number) VALUES ('100005')")
    scratch.archived()
    assert orders(scratch)[-1] == "100005"
