"""OAuth 2.0 / OpenID Connect wire details the endpoints share: form bodies, client authentication, PKCE,
redirects back to the client and the error shapes (RFC 6749 4.1.2.1 and 5.2, RFC 6750 3, RFC 7636)."""

import base64
import binascii
import hashlib
import hmac
import html
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from shop.devtools.loopback import Reply, json_reply


class OAuthError(Exception):
    """An error answered in OAuth's JSON shape: {"error": ..., "error_description": ...}."""

    def __init__(self, error: str, description: str = "", status: int = 400, headers: tuple = ()):
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status
        self.headers = headers

    def reply(self) -> Reply:
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        reply = json_reply(self.status, body)
        for name, value in self.headers:
            reply = reply.with_header(name, value)
        return reply.with_header("Cache-Control", "no-store")


def parameters(encoded: str) -> dict[str, str]:
    """A query string or form body; a parameter given twice is refused (RFC 6749 3.1, 3.2)."""
    pairs = parse_qsl(encoded, keep_blank_values=True)
    names = [name for name, _ in pairs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise OAuthError("invalid_request", f"repeated parameter: {', '.join(repeated)}")
    return {name: value for name, value in pairs if value != ""}


@dataclass(frozen=True)
class ClientCredentials:
    method: str | None  # "client_secret_basic", "client_secret_post" or None (no secret given)
    client_id: str | None
    secret: str | None


def client_credentials(headers, form: dict[str, str]) -> ClientCredentials:
    header = headers.get("Authorization") or ""
    scheme, _, value = header.partition(" ")
    in_body = "client_secret" in form
    if scheme.lower() == "basic":
        if in_body:
            raise OAuthError("invalid_request", "more than one client authentication method")
        try:
            client_id, colon, secret = base64.b64decode(value.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            client_id, colon, secret = "", "", ""
        if not colon:
            return ClientCredentials("client_secret_basic", None, None)
        return ClientCredentials("client_secret_basic", client_id, secret)
    if in_body:
        return ClientCredentials("client_secret_post", form.get("client_id"), form["client_secret"])
    return ClientCredentials(None, form.get("client_id"), None)


def same_secret(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of a code verifier: BASE64URL(SHA256(verifier)) without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def redirect_back(redirect_uri: str, params: dict[str, str]) -> Reply:
    """A 302 to the client's redirect URI with `params` added to its query."""
    parts = urlsplit(redirect_uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + [(k, v) for k, v in params.items() if v is not None]
    location = urlunsplit(parts._replace(query=urlencode(query)))
    return Reply(302).with_header("Location", location).with_header("Cache-Control", "no-store")


def page(status: int, text: str) -> Reply:
    """What the provider shows the person when it cannot send them back to the client."""
    body = f"<!doctype html><title>OpenID Connect simulator</title><p>{html.escape(text)}</p>"
    return Reply(status, body.encode(), "text/html; charset=utf-8")
