"""The HTTP plumbing the local simulators (Mollie, carriers) share: a threaded server on loopback that
hands each request to `respond(method, target, headers, body) -> Reply` and writes the reply out."""

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()

    def with_header(self, name: str, value: str) -> "Reply":
        return replace(self, headers=(*self.headers, (name, value)))


def json_reply(status: int, data, content_type: str = "application/json") -> Reply:
    return Reply(status, json.dumps(data).encode(), content_type)


Respond = Callable[[str, str, object, bytes], Reply]


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, respond: Respond, *, name: str, logger: logging.Logger):
        super().__init__(address, _Handler)
        self.respond = respond
        self.name = name
        self.logger = logger

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def serve_in_background(self) -> None:
        # A short poll interval keeps close() quick: shutdown() waits for the loop to look.
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, name=self.name, daemon=True).start()

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps the client's connection open between calls, as the real APIs do.
    protocol_version = "HTTP/1.1"
    # Idle keep-alive connections close after this many seconds.
    timeout = 30
    # Headers and body go out in two writes; without TCP_NODELAY a kept-alive connection stalls ~40 ms on each.
    disable_nagle_algorithm = True

    @property
    def server_version(self) -> str:
        return f"{self.server.name}/1.0"

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.respond(self.command, self.path, self.headers, body)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch

    def log_message(self, format, *args) -> None:
        self.server.logger.info("%s %s", self.address_string(), format % args)


class LoopbackSimulator:
    """What every simulator shares: started on a (free) loopback port, stopped, and its base URL.
    A subclass names itself (`label`), answers in `respond(method, target, headers, body)`, and may
    start and stop helpers of its own in `_started()` and `_stopped()`."""

    label = "simulator"

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self._address = (host, port)
        self._server: LoopbackServer | None = None
        self._url = ""

    def respond(self, method: str, target: str, headers, body: bytes) -> Reply:
        raise NotImplementedError

    def start(self) -> None:
        if self._server is not None:
            raise RuntimeError(f"The {self.label} is already running")
        logger = logging.getLogger(type(self).__module__)
        self._server = LoopbackServer(self._address, self.respond, name=type(self).__name__, logger=logger)
        self._url = self._server.url
        self._started()
        self._server.serve_in_background()

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._stopped()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError(f"Start the {self.label} first")
        return self._url

    def _started(self) -> None:
        """Runs after the port is bound, before the first request is served."""

    def _stopped(self) -> None:
        """Runs after the server has stopped."""
