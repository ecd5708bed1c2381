"""Checks that a push came from the carrier, before a byte of it is trusted."""

import hashlib
import hmac
import json
from collections.abc import Mapping

from .base import PushRejected, PushUnauthenticated
from .http import header


def hmac_sha256_hex(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def require_hmac_signature(*, secret: str, body: bytes, headers: Mapping[str, str], header_name: str) -> None:
    """The header must carry the hex HMAC-SHA256 of the raw body under `secret`."""
    if not secret:
        raise PushUnauthenticated("no push secret is configured, so no push can be trusted")
    given = header(headers, header_name).strip().lower()
    if not given:
        raise PushUnauthenticated(f"missing {header_name} header")
    if not hmac.compare_digest(given.encode(), hmac_sha256_hex(secret, body).encode()):
        raise PushUnauthenticated(f"wrong {header_name} signature")


def require_token(*, secret: str, headers: Mapping[str, str], header_name: str) -> None:
    """The header must carry the shared token itself (the carrier's published scheme, e.g. DHL's)."""
    if not secret:
        raise PushUnauthenticated("no push secret is configured, so no push can be trusted")
    given = header(headers, header_name).strip()
    if not given:
        raise PushUnauthenticated(f"missing {header_name} header")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        raise PushUnauthenticated(f"wrong {header_name} token")


def json_object(body: bytes) -> dict:
    try:
        document = json.loads(body)
    except ValueError as exc:  # includes UnicodeDecodeError
        raise PushRejected(f"body is not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise PushRejected("body is not a JSON object")
    return document
