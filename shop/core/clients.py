"""Who is asking: the client's address, decided by one rule for the whole shop.

Behind ALLAUTH_TRUSTED_PROXY_COUNT proxies it is allauth's rule: the address the nearest proxy
saw, read from X-Forwarded-For counting from the right, so an address a client writes into the
header itself is never taken. The header is believed only from the proxies themselves
(SHOP_TRUSTED_PROXIES): a client reaching the app directly is its own REMOTE_ADDR, whatever it
sends. allauth's own rate limits ask the shop's account adapter, which answers with this rule.
"""

from ipaddress import ip_address, ip_network

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


def client_address(request) -> str:
    peer = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted_proxy(peer):
        return peer
    return DefaultAccountAdapter(request).get_client_ip(request)


def _is_trusted_proxy(peer: str) -> bool:
    try:
        address = ip_address(peer)
    except ValueError:
        return False
    return any(address in ip_network(network) for network in settings.SHOP_TRUSTED_PROXIES)
