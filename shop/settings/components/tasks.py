"""Tasks: Dramatiq's broker on its own Redis database, its middleware, the outbox relay, the scheduler and
the worker's metrics."""

from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

from .environment import REDIS_URL, env

# --- Tasks ------------------------------------------------------------------
# Queues: emails, payments, tracking, search. Tasks that matter are written to
# the outbox in the caller's transaction and relayed to this broker.
DRAMATIQ_MIDDLEWARE = [
    # First: every other middleware's lines (retries, age and time limits) carry the task's request id.
    "shop.observability.dramatiq.LogContextMiddleware",
    "dramatiq.middleware.AgeLimit",
    "dramatiq.middleware.TimeLimit",
    "dramatiq.middleware.Callbacks",
    # Before Retries: its after-hooks run after Retries' (reverse order), once the failure is known to be the last.
    "shop.outbox.middleware.DeadLetterMiddleware",
    "dramatiq.middleware.Retries",
    "dramatiq.middleware.CurrentMessage",
    "shop.observability.task_metrics.TaskMetrics",  # Dramatiq's Prometheus series (manage.py worker serves them)
    "django_dramatiq.middleware.DbConnectionsMiddleware",
    "shop.outbox.middleware.OutboxDoneMiddleware",  # last: its after-hooks run first, on an open connection
]


def redis_broker_url(url: str) -> str:
    """The broker's Redis URL with timeouts: an unreachable Redis must fail fast,
    because the after-commit relay runs inside the request. (RedisBroker builds its
    pool from the URL alone, so the timeouts travel in the query string.)"""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}socket_connect_timeout=2&socket_timeout=10"


def redis_neighbour_database(url: str) -> str:
    """`url` moved to the next Redis database, or to the previous one when `url` uses
    database 15 (the last of Redis's default 16): redis://h:6379/0 -> redis://h:6379/1."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    if parts.scheme not in ("redis", "rediss") or "db=" in parts.query or not (path == "" or path.isdigit()):
        raise ImproperlyConfigured(f"Cannot derive the broker's database from REDIS_URL {url!r}: set BROKER_URL.")
    database = int(path or 0)
    return urlunsplit(parts._replace(path=f"/{database + 1 if database < 15 else database - 1}"))


def _redis_database(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.hostname, parts.port or 6379, parts.path.strip("/") or "0"


# The broker lives in its own Redis database, never the cache's: the cache is
# flushed by `cache.clear()` (FLUSHDB) and may evict keys, and a lost queue entry
# is a lost payment or email task. BROKER_URL defaults to REDIS_URL's neighbouring
# database (see redis_neighbour_database). Eviction is decided per Redis *server*,
# not per database: the server holding the broker must run with
# `maxmemory-policy noeviction`; a cache that should evict (allkeys-lru) needs a
# Redis server of its own.
BROKER_URL = env("BROKER_URL", default=redis_neighbour_database(REDIS_URL) if REDIS_URL else "")
if BROKER_URL and REDIS_URL and _redis_database(BROKER_URL) == _redis_database(REDIS_URL):
    raise ImproperlyConfigured("BROKER_URL must not be the cache's Redis database (REDIS_URL).")

# A worker that dies (SIGKILL, OOM, a lost host) leaves the messages it had taken unacknowledged. Dramatiq
# gives them back once the worker has missed heartbeats for BROKER_HEARTBEAT_TIMEOUT_MS, on a maintenance
# pass that each broker command triggers with a chance of BROKER_MAINTENANCE_CHANCE per million. Its
# defaults (60 s, 0.1%: one pass in minutes with a few idle workers) let a paid order's confirmation wait
# for many minutes; these bring it back in about 30 s. A live worker heartbeats on every poll (about once a
# second per queue), so 15 s without one is a dead worker, not a busy one.
BROKER_HEARTBEAT_TIMEOUT_MS = env.int("BROKER_HEARTBEAT_TIMEOUT_MS", default=15_000)
BROKER_MAINTENANCE_CHANCE = env.int("BROKER_MAINTENANCE_CHANCE", default=250_000)
if BROKER_URL:
    DRAMATIQ_BROKER = {
        "BROKER": "dramatiq.brokers.redis.RedisBroker",
        "OPTIONS": {
            "url": redis_broker_url(BROKER_URL),
            "heartbeat_timeout": BROKER_HEARTBEAT_TIMEOUT_MS,
            "maintenance_chance": BROKER_MAINTENANCE_CHANCE,
        },
        "MIDDLEWARE": DRAMATIQ_MIDDLEWARE,
    }
else:
    DRAMATIQ_BROKER = {
        "BROKER": "dramatiq.brokers.stub.StubBroker",
        "OPTIONS": {},
        "MIDDLEWARE": DRAMATIQ_MIDDLEWARE,
    }
DRAMATIQ_TASKS_DATABASE = "default"
DRAMATIQ_IGNORED_MODULES = ["wagtail.*"]
# Start a worker thread inside runserver (the embedded default, no Redis).
SHOP_IN_PROCESS_WORKER = env.bool("SHOP_IN_PROCESS_WORKER", default=not BROKER_URL)
# The scheduler (`manage.py scheduler`) holds a Redis lock, refreshed every LOCK_REFRESH_INTERVAL
# seconds: a second scheduler waits and takes over within LOCK_TIMEOUT seconds of the first one's end.
DRAMATIQ_CRONTAB = {
    "REDIS_URL": REDIS_URL or None,
    "LOCK_REFRESH_INTERVAL": env.int("SCHEDULER_LOCK_REFRESH_SECONDS", default=5),
    "LOCK_TIMEOUT": env.int("SCHEDULER_LOCK_TIMEOUT_SECONDS", default=10),
}
OUTBOX_RELAY_INTERVAL_SECONDS = env.int("OUTBOX_RELAY_INTERVAL_SECONDS", default=10)
# /readyz reports the node degraded (still 200) when the oldest task not yet published is older than this.
SHOP_READINESS_OUTBOX_MAX_AGE_SECONDS = env.int("SHOP_READINESS_OUTBOX_MAX_AGE_SECONDS", default=300)
# The scheduler writes a heartbeat row this often while it runs the jobs; /metrics shows its time
# (shop_scheduler_last_tick_timestamp_seconds), read from PostgreSQL, so a stopped scheduler shows with Redis gone.
SCHEDULER_HEARTBEAT_SECONDS = env.int("SCHEDULER_HEARTBEAT_SECONDS", default=60)
# `manage.py worker` serves the metrics of all its processes here (host:port, empty for none), to
# METRICS_ALLOWED_NETWORKS only; each worker command on a host needs an address of its own.
WORKER_METRICS_ADDRESS = env("WORKER_METRICS_ADDRESS", default="127.0.0.1:9191")
# Where its processes keep their counts (emptied at start); default: shop-worker-metrics-<port> in the temp dir.
WORKER_METRICS_DIR = env("WORKER_METRICS_DIR", default="")
