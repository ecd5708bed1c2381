"""Who is asking: the client's address, decided by one rule for the whole shop.

It is allauth's rule (its login and sign-up limits use it too): behind
ALLAUTH_TRUSTED_PROXY_COUNT proxies, the address the nearest of them saw, read from
X-Forwarded-For counting from the right, so an address a client writes in the
header itself is never taken; without proxies, REMOTE_ADDR.
"""

from allauth.account.adapter import get_adapter


def client_address(request) -> str:
    return get_adapter(request).get_client_ip(request)
