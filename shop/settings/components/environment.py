"""Where the shop runs: paths, the environment it reads, secrets, hosts and its public URL, the database and
the cache, language and time. Every other component reads the environment through `env` from here."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[3]

env = environ.Env()
if (BASE_DIR / ".env").exists():  # optional local overrides, never committed
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Absolute base of the public site; used for links built outside a request
# (emails, payment redirect and webhook URLs).
SHOP_BASE_URL = env("SHOP_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SHOP_BASE_URL

# --- Data -----------------------------------------------------------------
DATABASES = {
    "default": {
        # PostgreSQL everywhere; without DATABASE_URL dev.py starts `make run`'s own server, production refuses.
        **env.db("DATABASE_URL", default="postgres:///shop"),
        # Oscar relies on one transaction per request.
        "ATOMIC_REQUESTS": True,
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=0),
    }
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that cannot be reached fails a request (and /readyz) after this many seconds instead of
    # psycopg's 130 (libpq's minimum is 2). A stopped server refuses at once anyway. The URL's own option wins.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT_SECONDS", default=3),
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# REDIS_URL: the cache, rate limits and the scheduler lock. The broker has its
# own database (BROKER_URL, under Tasks). The cache may run on a Redis server
# that evicts (maxmemory-policy allkeys-lru) only if the broker is on another one.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # The storefront outlives its cache: django-redis answers a miss (and drops a write) while Redis
    # cannot be reached, and logs it on `shop.cache`. Pages are then rendered from the database, sessions
    # read from it (cached_db), and the rate limits let requests through (shop/infrastructure/cache.py). The short
    # timeouts keep a dead Redis from stalling each request.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shop",
            "OPTIONS": {
                "CLIENT_CLASS": "shop.infrastructure.cache.FailOpenClient",
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": env.float("CACHE_CONNECT_TIMEOUT_SECONDS", default=0.5),
                "SOCKET_TIMEOUT": env.float("CACHE_TIMEOUT_SECONDS", default=0.5),
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "shop.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Language and time -------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True
SITE_ID = 1
