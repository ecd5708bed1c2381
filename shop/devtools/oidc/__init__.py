"""A local OpenID Connect provider on loopback, for proving social login end to end.

One stdlib HTTP server (shop.devtools.loopback) that plays an identity provider: discovery, the authorization
endpoint (a real 302 back to the client with a code), the token endpoint (authorization code exchange with client
authentication, redirect URI and PKCE checks, single-use codes, RS256-signed ID tokens), userinfo and the JWKS.
Who is signed in at the provider is up to the caller (`sign_in(Identity(...))`).
"""

from .server import OidcSimulator
from .state import Identity

__all__ = ["Identity", "OidcSimulator"]
