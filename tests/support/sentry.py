"""A Sentry ingestion endpoint on 127.0.0.1: the real SDK posts its envelopes here over HTTP."""

import gzip
import json
import logging
import zlib

import brotli

from shop.devtools.loopback import LoopbackServer, Reply, json_reply

LOG = logging.getLogger(__name__)


class SentrySink:
    """Accepts `POST /api/<project>/envelope/` and keeps each envelope, decompressed, as bytes."""

    def __init__(self):
        self.envelopes: list[bytes] = []
        self._server = LoopbackServer(("127.0.0.1", 0), self._respond, name="SentrySink", logger=LOG)

    def _respond(self, method, target, headers, body) -> Reply:
        self.envelopes.append(_decoded(body, headers.get("Content-Encoding", "")))
        return json_reply(200, {})

    @property
    def dsn(self) -> str:
        return f"http://publickey@127.0.0.1:{self._server.server_address[1]}/1"

    def start(self) -> None:
        self._server.serve_in_background()

    def stop(self) -> None:
        self._server.close()

    def events(self) -> list[dict]:
        """The error events received (an envelope holds headers, then one item header and payload per item)."""
        events = []
        for envelope in self.envelopes:
            lines = envelope.split(b"\n")
            for header, payload in zip(lines[1::2], lines[2::2], strict=False):
                if json.loads(header).get("type") == "event":
                    events.append(json.loads(payload))
        return events


def _decoded(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body
