"""Production settings for benchmarks on loopback http (`bench/checkout.py`).

Everything is `shop.settings.production`, environment included; only what needs TLS is relaxed,
because the benchmark talks plain http to gunicorn on 127.0.0.1 with no proxy in front:
secure-only cookies would never be sent back (no session, no basket, no CSRF cookie),
and the SSL redirect and HSTS would send the client to an https port that does not exist.
"""

from shop.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
OSCAR_BASKET_COOKIE_SECURE = False
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = False
