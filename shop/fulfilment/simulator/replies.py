"""What every handler returns: a status, a JSON body and its content type."""

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"


def json_reply(status: int, data, content_type: str = "application/json") -> Reply:
    return Reply(status, json.dumps(data).encode(), content_type)
