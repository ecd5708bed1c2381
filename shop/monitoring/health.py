"""Readiness: may this process take traffic? Answered in milliseconds, for load balancers and orchestrators.

Two kinds of check. Without the database or with migrations not applied the shop cannot serve: the
node is *unavailable* (503) and should get no traffic. Redis (cache, broker) and the outbox backlog
only *degrade* it: the shop keeps selling without Redis (tasks wait in the outbox), and a shared
Redis going down must not make a load balancer pull every node at once, so those answer 200 with
the reason. Reasons are short fixed phrases; the exceptions behind them go to the log when a check
changes state (not on every probe: load balancers ask every few seconds).

Why not django-health-check: its database check writes a row per probe, its cache check goes through
the cache client, which here hides an unreachable Redis on purpose (shop/infrastructure/cache.py), and a
degraded state that still answers 200 is this module's whole point.

Time bounds. Each Redis ping has its own client with 0.5 s connect and read timeouts and no retries
(redis-py retries thrice with backoff by default). The database queries take no locks; a stopped
PostgreSQL refuses new connections at once and closes established ones, so the next query fails at
once too; a host that vanishes is bounded by DATABASES' connect_timeout (DATABASE_CONNECT_TIMEOUT_SECONDS).
The migration check runs once per process and database until it passes (nothing un-applies a
migration under a running process), so a fresh process still checks.
"""

import logging
import time
from dataclasses import dataclass
from functools import lru_cache

import redis
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from shop.outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

OK, DEGRADED, UNAVAILABLE = "ok", "degraded", "unavailable"
REDIS_TIMEOUT_SECONDS = 0.5

# Databases whose migrations were all found applied by this process.
_migrated: set[str] = set()
# The last status of each check, to log changes rather than every probe.
_last_status: dict[str, str] = {}


@dataclass(frozen=True)
class Check:
    status: str
    reason: str = ""
    ms: float = 0.0
    error: str = ""  # for the log only: exception texts may name hosts and ports

    def as_dict(self) -> dict:
        return {"status": self.status, **({"reason": self.reason} if self.reason else {}), "ms": round(self.ms, 1)}


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, Check]

    @property
    def status(self) -> str:
        statuses = {check.status for check in self.checks.values()}
        return UNAVAILABLE if UNAVAILABLE in statuses else DEGRADED if DEGRADED in statuses else OK

    def as_dict(self) -> dict:
        return {"status": self.status, "checks": {name: check.as_dict() for name, check in self.checks.items()}}


def readiness_check(*, database: str = "default") -> Readiness:
    """Run every readiness check against `database` and the configured cache and broker Redis."""
    checks = {"database": _timed(_database, database)}
    if checks["database"].status == OK:
        checks["migrations"] = _timed(_migrations, database)
        checks["outbox"] = _timed(_outbox, database)
    else:
        skipped = Check(UNAVAILABLE, "not checked: database unreachable")
        checks["migrations"] = checks["outbox"] = skipped
    checks["cache"] = _timed(_redis, _cache_url())
    checks["broker"] = _timed(_redis, settings.BROKER_URL or None)
    for name, check in checks.items():
        _log_change(name, check)
    return Readiness(checks)


def _database(alias: str) -> Check:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        _drop_if_broken(alias)
        return Check(UNAVAILABLE, "unreachable", error=repr(exc))
    return Check(OK)


def _migrations(alias: str) -> Check:
    if alias in _migrated:
        return Check(OK)
    try:
        executor = MigrationExecutor(connections[alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        _drop_if_broken(alias)
        return Check(UNAVAILABLE, "could not read the applied migrations", error=repr(exc))
    if plan:
        first = plan[0][0]
        return Check(UNAVAILABLE, f"{len(plan)} migration(s) not applied, first {first.app_label}.{first.name}")
    _migrated.add(alias)
    return Check(OK)


def _outbox(alias: str) -> Check:
    try:
        oldest = (
            OutboxMessage.objects.using(alias).pending().order_by("pk").values_list("created_at", flat=True).first()
        )
    except DatabaseError as exc:
        _drop_if_broken(alias)
        return Check(DEGRADED, "could not read the outbox", error=repr(exc))
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    limit = settings.SHOP_READINESS_OUTBOX_MAX_AGE_SECONDS
    if age > limit:
        return Check(DEGRADED, f"oldest unpublished task waits {age:.0f} s (limit {limit} s): is the broker down?")
    return Check(OK)


def _redis(url: str | None) -> Check:
    if not url:
        return Check(OK, "not used (in-process)")
    try:
        _redis_client(url).ping()
    except redis.RedisError as exc:
        return Check(DEGRADED, "unreachable: the shop serves without it", error=repr(exc))
    return Check(OK)


@lru_cache(maxsize=8)
def _redis_client(url: str) -> redis.Redis:
    """A client of its own per URL, kept for the process: short timeouts, no retries."""
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )


def _cache_url() -> str | None:
    cache = settings.CACHES["default"]
    if not cache["BACKEND"].startswith("django_redis."):
        return None
    location = cache["LOCATION"]
    return location[0] if isinstance(location, list | tuple) else location.split(",")[0]


def _drop_if_broken(alias: str) -> None:
    """Close a connection the failure left unusable, so the next probe connects afresh (the server may be back)."""
    connection = connections[alias]
    if not connection.in_atomic_block:
        try:
            connection.close()
        except DatabaseError:
            pass  # closing a dead connection may complain; it is dropped all the same


def _timed(check, *args) -> Check:
    started = time.monotonic()
    result = check(*args)
    return Check(result.status, result.reason, (time.monotonic() - started) * 1000, result.error)


def _log_change(name: str, check: Check) -> None:
    previous = _last_status.get(name, OK)
    _last_status[name] = check.status
    if check.status != previous:
        level = logging.INFO if check.status == OK else logging.WARNING
        logger.log(level, "readiness: %s is %s (was %s) %s %s", name, check.status, previous, check.reason, check.error)
