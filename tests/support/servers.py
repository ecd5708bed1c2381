"""Real servers on 127.0.0.1 that tests start for themselves."""

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A private redis-server process that can be stopped and started on the same port."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server must be installed (apt-get install redis-server)"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@dataclass
class _Inbox:
    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


class StallingInbox(_Inbox):
    """Holds the first message's DATA until `release` is set, then refuses it (451): the fault point for a
    worker killed in the middle of sending. Later messages are accepted."""

    def __init__(self):
        super().__init__()
        self.first_arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.first_arrived.is_set():
            self.first_arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
            return "451 Try again later"
        return await super().handle_DATA(server, session, envelope)


class SmtpServer:
    """An SMTP server (aiosmtpd) that keeps every message it accepts."""

    def __init__(self, inbox: _Inbox | None = None):
        self.inbox = inbox or _Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def messages(self) -> list:
        return self.inbox.messages

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


class PostgresServer:
    """A throwaway PostgreSQL cluster (initdb in a temporary folder) that can be stopped and started on one port.

    PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user (Debian's package).
    """

    BIN = Path("/usr/lib/postgresql/15/bin")

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="shop-test-pg-"))
        self.data = self.folder / "data"
        self.initialised = False

    def _run(self, *command: str) -> None:
        as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_owner, *command], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        assert (self.BIN / "initdb").exists(), "PostgreSQL 15's server programs are needed (apt-get install postgresql)"
        if not self.initialised:
            if os.geteuid() == 0:
                shutil.chown(self.folder, "postgres")
            self._run(str(self.BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
            self.initialised = True
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -F"
        log = str(self.folder / "log")
        self._run(str(self.BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-l", log, "start")

    def stop(self) -> None:
        """A fast shutdown, as a restart or a crash of the service looks to clients: sessions are ended."""
        self._run(str(self.BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
