"""The provider's memory: who is signed in, the codes it handed out, the access tokens it issued, what it was asked.
One lock guards it all."""

import secrets
import threading
import time
from dataclasses import dataclass, field

# Claims released per scope (OpenID Connect Core 5.4); "sub" always.
SCOPE_CLAIMS = {
    "profile": ("name", "given_name", "family_name"),
    "email": ("email", "email_verified"),
}


@dataclass(frozen=True)
class Identity:
    """A person signed in at the provider."""

    sub: str
    email: str | None = None
    email_verified: bool = False
    name: str = ""
    given_name: str = ""
    family_name: str = ""

    def claims(self, scopes: frozenset[str]) -> dict:
        released = {"sub": self.sub}
        for scope, names in SCOPE_CLAIMS.items():
            if scope in scopes:
                released.update({name: getattr(self, name) for name in names if getattr(self, name) not in (None, "")})
        return released


@dataclass
class Grant:
    """An authorization code and what it was issued for."""

    code: str
    client_id: str
    redirect_uri: str
    identity: Identity
    scopes: frozenset[str]
    nonce: str | None
    code_challenge: str | None
    auth_time: int  # when the person authorized, seconds since the epoch
    expires_at: float
    redeemed: bool = False
    access_tokens: list[str] = field(default_factory=list)


@dataclass
class AccessToken:
    token: str
    identity: Identity
    scopes: frozenset[str]
    expires_at: float
    revoked: bool = False

    def usable(self, now: float) -> bool:
        return not self.revoked and now < self.expires_at


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Store:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.signed_in: Identity | None = None
        self.deny_next = False
        self.grants: dict[str, Grant] = {}
        self.tokens: dict[str, AccessToken] = {}
        self.requests: list[dict] = []

    def add_grant(self, **fields) -> Grant:
        grant = Grant(code=new_secret(), **fields)
        self.grants[grant.code] = grant
        return grant

    def issue_token(self, grant: Grant, ttl: float) -> AccessToken:
        token = AccessToken(new_secret(), grant.identity, grant.scopes, time.time() + ttl)
        self.tokens[token.token] = token
        grant.access_tokens.append(token.token)
        return token

    def revoke_tokens_of(self, grant: Grant) -> None:
        """A code presented twice was stolen or replayed: what it bought stops working (RFC 6749 4.1.2)."""
        for token in grant.access_tokens:
            self.tokens[token].revoked = True
