"""What every handler returns: a status, a body and its headers, written out by the HTTP server."""

import json
from dataclasses import dataclass, replace

HAL_JSON = "application/hal+json"


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()

    def with_header(self, name: str, value: str) -> "Reply":
        return replace(self, headers=(*self.headers, (name, value)))


def json_reply(status: int, data, content_type: str = HAL_JSON) -> Reply:
    return Reply(status, json.dumps(data).encode(), content_type)


def html_reply(status: int, html: str) -> Reply:
    return Reply(status, html.encode(), "text/html; charset=utf-8")


def redirect(location: str) -> Reply:
    return Reply(303, headers=(("Location", location),))
