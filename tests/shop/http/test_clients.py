"""The one client-address rule, and the key every throttle counts a client by."""

import pytest
from django.test import RequestFactory

from shop.http.clients import client_address, client_key


def request_from(remote_addr: str, forwarded_for: str = ""):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **extra)


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:5:7:a:b:c:d", "2001:db8:5:7::/64"),
        ("2001:db8:5:7::1", "2001:db8:5:7::/64"),
        # A dual-stack socket reports IPv4 clients as mapped addresses, all inside ::/64: keep them apart.
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("not-an-address", "not-an-address"),
    ],
)
def test_ipv6_clients_are_counted_by_their_64(address, key):
    assert client_key(request_from(address)) == key


def test_the_prefix_is_the_one_allauths_limits_use(settings):
    settings.ALLAUTH_RATE_LIMIT_IPV6_PREFIX = 48

    assert client_key(request_from("2001:db8:5:7::1")) == "2001:db8:5::/48"


def test_behind_a_trusted_proxy_the_forwarded_address_is_grouped(settings):
    settings.SHOP_TRUSTED_PROXIES = ["10.0.0.1/32"]
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = request_from("10.0.0.1", forwarded_for="2001:db8:1:2:3:4:5:6")

    assert client_address(request) == "2001:db8:1:2:3:4:5:6"
    assert client_key(request) == "2001:db8:1:2::/64"
