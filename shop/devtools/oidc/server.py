"""OidcSimulator: an OpenID Connect provider on loopback that a real relying party (allauth) talks to over HTTP,
with test controls: who is signed in at the provider, refusing the next consent, what was asked."""

import copy
import json
import re
import time
from urllib.parse import parse_qsl, urlsplit

from shop.devtools.loopback import LoopbackSimulator, Reply, json_reply

from .keys import ALGORITHM, SigningKey
from .protocol import OAuthError, client_credentials, page, parameters, redirect_back, s256, same_secret
from .state import SCOPE_CLAIMS, Identity, Store, new_secret

AUTH_METHODS = ("client_secret_post", "client_secret_basic")
CODE_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")  # RFC 7636 4.1
NO_STORE = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))


class OidcSimulator(LoopbackSimulator):
    label = "OpenID Connect simulator"

    def __init__(
        self,
        *,
        client_id: str = "shop",
        client_secret: str | None = None,
        redirect_uris: tuple[str, ...] | None = None,
        token_auth_methods: tuple[str, ...] = AUTH_METHODS,
        require_pkce: bool = False,
        code_ttl: float = 60,
        token_ttl: float = 3600,
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        """One registered client. `redirect_uris`: the exact URIs it may be sent back to (None: any http(s) URL).
        `token_auth_methods`: how it may authenticate at the token endpoint, as the discovery document says."""
        if not set(token_auth_methods) <= set(AUTH_METHODS):
            raise ValueError(f"token_auth_methods: choose from {AUTH_METHODS}")
        self.client_id = client_id
        self.client_secret = client_secret or new_secret()
        self._redirect_uris = tuple(redirect_uris) if redirect_uris is not None else None
        self._token_auth_methods = tuple(token_auth_methods)
        self._require_pkce = require_pkce
        self._code_ttl = code_ttl
        self._token_ttl = token_ttl
        super().__init__(host, port)
        self._key = SigningKey()
        self._store = Store()
        self._routes = {
            "/.well-known/openid-configuration": self._discovery,
            "/authorize": self._authorize,
            "/token": self._token,
            "/userinfo": self._userinfo,
            "/jwks": self._jwks,
        }

    @property
    def url(self) -> str:
        """The issuer, and the base of every endpoint (what a relying party calls its server URL)."""
        return super().url

    @property
    def public_key(self):
        return self._key.public_key

    # Playing the person at the provider

    def sign_in(self, identity: Identity) -> None:
        """From now on, `identity` is signed in at the provider and consents to whatever the client asks."""
        with self._store.lock:
            self._store.signed_in = identity

    def sign_out(self) -> None:
        with self._store.lock:
            self._store.signed_in = None

    def deny_next(self) -> None:
        """The next authorization request is refused by the person (error=access_denied)."""
        with self._store.lock:
            self._store.deny_next = True

    # What happened

    @property
    def requests(self) -> list[dict]:
        """Every request, oldest first: method, path, query, form, authorization header, status, error."""
        with self._store.lock:
            return copy.deepcopy(self._store.requests)

    def requests_to(self, path: str) -> list[dict]:
        return [entry for entry in self.requests if entry["path"] == path]

    # HTTP

    def respond(self, method: str, target: str, headers, body: bytes = b"") -> Reply:
        parts = urlsplit(target)
        entry = {"method": method, "path": parts.path, "query": {}, "form": {}}
        entry["authorization"] = headers.get("Authorization")
        handler = self._routes.get(parts.path)
        try:
            entry["query"] = query = parameters(parts.query)
            entry["form"] = form = _form(headers, body)
            if handler is None:
                raise OAuthError("not_found", f"nothing at {parts.path}", status=404)
            reply = handler(method, query, form, headers)
        except OAuthError as error:
            reply = error.reply()
        entry["status"] = reply.status
        entry["error"] = _error_of(reply)
        with self._store.lock:
            self._store.requests.append(entry)
        return reply

    def _discovery(self, method, query, form, headers) -> Reply:
        _only(method, "GET")
        return json_reply(
            200,
            {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "userinfo_endpoint": f"{self.url}/userinfo",
                "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": [ALGORITHM],
                "scopes_supported": ["openid", *SCOPE_CLAIMS],
                "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "jti"]
                + [claim for claims in SCOPE_CLAIMS.values() for claim in claims],
                "token_endpoint_auth_methods_supported": list(self._token_auth_methods),
                "code_challenge_methods_supported": ["S256"],
            },
        )

    def _jwks(self, method, query, form, headers) -> Reply:
        _only(method, "GET")
        return json_reply(200, {"keys": [self._key.jwk()]})

    def _authorize(self, method, query, form, headers) -> Reply:
        _only(method, "GET", "POST")
        params = query if method == "GET" else form
        redirect_uri = params.get("redirect_uri")
        # Unknown client or redirect URI: never redirect, tell the person (RFC 6749 4.1.2.1).
        if params.get("client_id") != self.client_id:
            return page(400, "Unknown client_id: this application is not registered here.")
        if not self._redirect_allowed(redirect_uri):
            return page(400, "The redirect_uri is not registered for this application.")

        def back(**answer: str | None) -> Reply:
            return redirect_back(redirect_uri, {**answer, "state": params.get("state")})

        scopes = frozenset((params.get("scope") or "").split())
        challenge, challenge_method = params.get("code_challenge"), params.get("code_challenge_method", "plain")
        if params.get("response_type") != "code":
            return back(error="unsupported_response_type", error_description="only the code flow is offered")
        if "openid" not in scopes:
            return back(error="invalid_scope", error_description="the openid scope is required")
        if challenge and challenge_method != "S256":
            return back(error="invalid_request", error_description="code_challenge_method must be S256")
        if self._require_pkce and not challenge:
            return back(error="invalid_request", error_description="PKCE (code_challenge) is required")
        with self._store.lock:
            if self._store.deny_next:
                self._store.deny_next = False
                return back(error="access_denied", error_description="the person declined")
            identity = self._store.signed_in
            if identity is None:
                return back(error="login_required", error_description="nobody is signed in at the provider")
            grant = self._store.add_grant(
                client_id=self.client_id,
                redirect_uri=redirect_uri,
                identity=identity,
                scopes=scopes,
                nonce=params.get("nonce"),
                code_challenge=challenge,
                auth_time=int(time.time()),
                expires_at=time.time() + self._code_ttl,
            )
        return back(code=grant.code)

    def _token(self, method, query, form, headers) -> Reply:
        _only(method, "POST")
        self._authenticate_client(headers, form)
        if form.get("grant_type") != "authorization_code":
            raise OAuthError("unsupported_grant_type", "only authorization_code is offered")
        code = form.get("code")
        if not code:
            raise OAuthError("invalid_request", "code is missing")
        with self._store.lock:
            grant = self._store.grants.get(code)
            if grant is None or grant.client_id != self.client_id:
                raise OAuthError("invalid_grant", "unknown authorization code")
            if grant.redeemed:
                self._store.revoke_tokens_of(grant)
                raise OAuthError("invalid_grant", "authorization code already used")
            grant.redeemed = True  # whatever happens next, a code is tried once
            if time.time() > grant.expires_at:
                raise OAuthError("invalid_grant", "authorization code expired")
            if form.get("redirect_uri") != grant.redirect_uri:
                raise OAuthError("invalid_grant", "redirect_uri differs from the authorization request's")
            _check_pkce(grant.code_challenge, form.get("code_verifier"))
            token = self._store.issue_token(grant, self._token_ttl)
        now = int(time.time())
        claims = {
            "iss": self.url,
            "sub": grant.identity.sub,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": grant.auth_time,
            "jti": new_secret(),
            **grant.identity.claims(grant.scopes),
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        reply = json_reply(
            200,
            {
                "access_token": token.token,
                "token_type": "Bearer",  # nosec B105  # OAuth's token type name, not a secret
                "expires_in": int(self._token_ttl),
                "scope": " ".join(sorted(grant.scopes)),
                "id_token": self._key.sign(claims),
            },
        )
        for name, value in NO_STORE:
            reply = reply.with_header(name, value)
        return reply

    def _userinfo(self, method, query, form, headers) -> Reply:
        _only(method, "GET", "POST")
        scheme, _, value = (headers.get("Authorization") or "").partition(" ")
        challenge = (("WWW-Authenticate", 'Bearer error="invalid_token"'),)
        if scheme.lower() != "bearer" or not value.strip():
            raise OAuthError("invalid_token", "a Bearer access token is required", 401, challenge)
        with self._store.lock:
            token = self._store.tokens.get(value.strip())
            if token is None or not token.usable(time.time()):
                raise OAuthError("invalid_token", "unknown, expired or revoked access token", 401, challenge)
            return json_reply(200, token.identity.claims(token.scopes))

    def _authenticate_client(self, headers, form) -> None:
        credentials = client_credentials(headers, form)
        basic = credentials.method == "client_secret_basic"
        challenge = (("WWW-Authenticate", 'Basic realm="token"'),) if basic else ()
        if credentials.method not in self._token_auth_methods:
            raise OAuthError("invalid_client", f"authenticate with one of {', '.join(self._token_auth_methods)}", 401)
        if credentials.client_id != self.client_id or not same_secret(credentials.secret, self.client_secret):
            raise OAuthError("invalid_client", "client authentication failed", 401, challenge)

    def _redirect_allowed(self, redirect_uri: str | None) -> bool:
        if not redirect_uri:
            return False
        if self._redirect_uris is not None:
            return redirect_uri in self._redirect_uris
        parts = urlsplit(redirect_uri)
        return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.fragment


def _only(method: str, *allowed: str) -> None:
    if method not in allowed:
        raise OAuthError("invalid_request", f"use {' or '.join(allowed)}", status=405)


def _form(headers, body: bytes) -> dict[str, str]:
    if not body:
        return {}
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise OAuthError("invalid_request", "send parameters as application/x-www-form-urlencoded")
    return parameters(body.decode("utf-8", "replace"))


def _check_pkce(challenge: str | None, verifier: str | None) -> None:
    if challenge is None:
        if verifier:
            raise OAuthError("invalid_grant", "code_verifier sent, but the authorization request had no challenge")
        return
    if not verifier or not CODE_VERIFIER.fullmatch(verifier) or s256(verifier) != challenge:
        raise OAuthError("invalid_grant", "PKCE verification failed")


def _error_of(reply: Reply) -> str | None:
    if reply.status == 302:
        location = dict(reply.headers).get("Location", "")
        return dict(parse_qsl(urlsplit(location).query)).get("error")
    if reply.status >= 400 and reply.content_type.startswith("application/json"):
        return json.loads(reply.body).get("error")
    if reply.status >= 400:
        return "error_page"
    return None
