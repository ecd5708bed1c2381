"""Who is asking: the client's address, decided by one rule for the whole shop.

Behind ALLAUTH_TRUSTED_PROXY_COUNT proxies it is allauth's rule: the address the nearest proxy
saw, read from X-Forwarded-For counting from the right, so an address a client writes into the
header itself is never taken. The header is believed only from the proxies themselves
(SHOP_TRUSTED_PROXIES): a client reaching the app directly is its own REMOTE_ADDR, whatever it
sends. allauth's own rate limits ask the shop's account adapter, which answers with this rule.

Throttles count a client by `client_key`: its IPv4 address, or its IPv6 network. One subscriber
is given a whole /64 and can take a new address in it for every request, so counting addresses
would give them billions of counters; allauth's limits group by the same prefix for this reason.
"""

from ipaddress import IPv6Address, ip_address, ip_network

from allauth import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


def client_address(request) -> str:
    peer = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted_proxy(peer):
        return peer
    return DefaultAccountAdapter(request).get_client_ip(request)


def client_key(request) -> str:
    """The client as every throttle counts it: the IPv4 address, or the IPv6 network of
    ALLAUTH_RATE_LIMIT_IPV6_PREFIX bits (64 by default) that the address is in."""
    address = client_address(request)
    try:
        parsed = ip_address(address)
    except ValueError:
        return address
    if not isinstance(parsed, IPv6Address):
        return address
    if parsed.ipv4_mapped:  # an IPv4 client on a dual-stack socket: its /64 would hold every IPv4 client
        return str(parsed.ipv4_mapped)
    return str(ip_network(f"{parsed}/{allauth_settings.RATE_LIMIT_IPV6_PREFIX}", strict=False))


def _is_trusted_proxy(peer: str) -> bool:
    try:
        address = ip_address(peer)
    except ValueError:
        return False
    return any(address in ip_network(network) for network in settings.SHOP_TRUSTED_PROXIES)
