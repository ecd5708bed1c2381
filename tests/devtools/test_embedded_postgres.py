"""`make run`'s own PostgreSQL (shop/devtools/postgres.py): each command that asks gets the `shop` database, the
data outlives the server, and the server stops with its last holder, however that holder ended.

Every holder is a process of its own, as in `make run` (migrate, load_demo_shop, runserver)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
# argv: the data folder, "exit" or "hold" (until signalled), then SQL statements; prints what each SELECT gives.
HOLDER = """
import sys, time
from pathlib import Path
import psycopg
from shop.devtools.postgres import database_url

url = database_url(Path(sys.argv[1]))
with psycopg.connect(url, autocommit=True) as connection:
    for statement in sys.argv[3:]:
        cursor = connection.execute(statement)
        if statement.startswith("SELECT"):
            print(cursor.fetchone()[0])
print("ready", flush=True)
if sys.argv[2] == "hold":
    time.sleep(120)
"""


def holder(pgdata: Path, *statements: str) -> list[str]:
    """What a holder that runs `statements` and exits printed."""
    result = subprocess.run(
        [sys.executable, "-c", HOLDER, str(pgdata), "exit", *statements],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.split()


def holding(pgdata: Path) -> subprocess.Popen:
    """A holder that keeps the server until it is signalled."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(pgdata), "hold"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready", process.stderr.read()[-3000:]
    return process


def server_pid(pgdata: Path) -> int | None:
    postmaster = pgdata / "postmaster.pid"
    if not postmaster.exists():
        return None
    pid = int(postmaster.read_text().split()[0])
    return pid if psutil.pid_exists(pid) else None


def ended(pid: int) -> bool:
    """The process is gone (or a zombie waiting for init) within a few seconds: the pid file goes just before."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def pgdata(tmp_path):
    path = tmp_path / "postgres"
    yield path
    pid = server_pid(path)
    if pid:  # a failed test's server: not left behind
        psutil.Process(pid).terminate()


def test_each_command_gets_the_shop_database_and_the_data_outlives_the_server(pgdata):
    assert holder(pgdata, "CREATE TABLE kept (note text)", "INSERT INTO kept VALUES ('x')") == ["ready"]
    assert server_pid(pgdata) is None, "the last holder stopped the server"

    found = holder(
        pgdata,
        "SELECT current_database()",
        "SELECT note FROM kept",
        "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'",
    )

    assert found == ["shop", "x", "1", "ready"]
    assert server_pid(pgdata) is None


def test_a_holder_stopped_by_sigterm_stops_the_server(pgdata):
    process = holding(pgdata)
    assert server_pid(pgdata)

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=60) == 128 + signal.SIGTERM
    assert server_pid(pgdata) is None


def test_the_server_stays_while_another_holds_it_and_a_killed_holder_is_forgotten(pgdata):
    first = holding(pgdata)
    second = holding(pgdata)
    pid = server_pid(pgdata)

    first.kill()  # SIGKILL: no exit hook runs, its pid stays on the wheel's list
    first.wait(timeout=10)
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=60)

    assert server_pid(pgdata) is None, "the dead holder does not keep the server up"
    assert ended(pid)


def test_a_pid_file_left_by_a_server_that_died_unannounced_does_not_stop_the_next_start(pgdata):
    holder(pgdata, "CREATE TABLE kept (note text)", "INSERT INTO kept VALUES ('x')")
    # As after a reboot: the file names a pid that now belongs to another, live process (this test's own).
    (pgdata / "postmaster.pid").write_text(f"{os.getpid()}\n{pgdata}\n")

    assert holder(pgdata, "SELECT note FROM kept") == ["x", "ready"]
