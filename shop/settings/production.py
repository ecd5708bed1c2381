"""Production: every secret comes from the environment, and nothing starts without it."""

import os
from ipaddress import ip_network

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, env, log_format_from_env


def _required(name: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} is required in production (see the environment table in docs/configuration.md)."
        )
    return value


def _stated_networks(name: str) -> list[str]:
    """IP networks listed in `name`, which must be set; empty means none."""
    if name not in os.environ:
        raise ImproperlyConfigured(
            f"{name} is required in production: comma-separated networks, or empty for none "
            "(see the environment table in docs/configuration.md)."
        )
    networks = []
    for network in env.list(name):
        try:
            networks.append(str(ip_network(network.strip())))
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {network.strip()!r} is not an IP network ({exc}).") from exc
    return networks


DEBUG = False
# One JSON object per line for the log store; LOG_FORMAT=console when a person reads the output directly.
LOG_FORMAT = log_format_from_env("json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT
SECRET_KEY = _required("SECRET_KEY")
_required("DATABASE_URL")  # components/environment.py reads it; required so its local default never stands in
_required("REDIS_URL")
# Media and private files: `s3` (components/content.py then requires the buckets and keys), or `filesystem`
# for a shop on one host only. Stated, so a multi-host deployment never writes to one host's disk by default.
_required("MEDIA_STORAGE")
_required("ALLOWED_HOSTS")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SHOP_BASE_URL = _required("SHOP_BASE_URL").rstrip("/")
WAGTAILADMIN_BASE_URL = SHOP_BASE_URL
CSRF_TRUSTED_ORIGINS = [SHOP_BASE_URL]
_required("EMAIL_URL")
DEFAULT_FROM_EMAIL = _required("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
MOLLIE_API_KEY = _required("MOLLIE_API_KEY")
# A test key or another endpoint takes no real money: only a staging deployment may say so.
MOLLIE_TEST_MODE = env.bool("MOLLIE_TEST_MODE", default=False)
if not MOLLIE_TEST_MODE and (not MOLLIE_API_KEY.startswith("live_") or MOLLIE_API_ENDPOINT):  # noqa: F405
    raise ImproperlyConfigured(
        "Production takes real payments: MOLLIE_API_KEY must be a live_ key and MOLLIE_API_ENDPOINT unset "
        "(set MOLLIE_TEST_MODE=true for a staging deployment)."
    )
# Carriers: each one the shop ships with needs its real API key and the secret of its pushes;
# the carrier simulator is never a production default.
CARRIER_API_URLS = {"postnl": "https://api.postnl.nl", "dhl": "https://api-eu.dhl.com"}
SHOP_CARRIERS = {
    code: {
        "API_URL": env(f"{code.upper()}_API_URL", default=CARRIER_API_URLS[code]),
        "API_KEY": _required(f"{code.upper()}_API_KEY"),
        "PUSH_SECRET": _required(f"{code.upper()}_PUSH_SECRET"),
    }
    for code in env.list("SHOP_CARRIERS_ENABLED", default=["postnl", "dhl"])
}
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
SHOP_IN_PROCESS_WORKER = False

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Sessions read from Redis, written through to PostgreSQL: a lost cache loses no session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# CACHES and the scheduler lock follow REDIS_URL, which is required above; the broker uses BROKER_URL
# (default: the next database of REDIS_URL, see components/tasks.py), on a Redis with maxmemory-policy noeviction.

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Scrapers and load balancers may call these without X-Forwarded-Proto: no redirect for them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=1)
# Who may say, in X-Forwarded-For, who the client is (shop/http/clients.py). Guessed wrong, every
# client behind a proxy on another host shares one throttle counter: it must be stated, and an
# empty value is a statement too ("no proxy": the peer's address is the client's).
SHOP_TRUSTED_PROXIES = _stated_networks("SHOP_TRUSTED_PROXIES")

STORAGES = {
    **STORAGES,  # noqa: F405  (media and private storage as in components/content.py)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
