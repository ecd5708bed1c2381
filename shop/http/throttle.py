"""Fixed-window request counters in the cache (Redis in tests and production).

While the cache cannot be reached the counters let requests through (and say so in the log): an outage
of Redis must not lock shoppers out of their orders or carriers out of their pushes. A hit past the limit
is logged as a security event (someone retrying faster than a person or a carrier would).
"""

import logging

from django.core.cache import cache

from shop.observability.security import security_event

logger = logging.getLogger("shop.cache")


def throttle_hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; True while the window has seen at most `limit` hits."""
    cache_key = f"throttle:{key}"
    # add() starts the window only if none is running; incr() is atomic in Redis.
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window expired between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds)
        count = 1
    if count is None:  # the cache is down (django-redis ignored the error)
        logger.warning("throttle %s not counted: the cache is unreachable", key)
        return True
    if count > limit:
        security_event("throttled", throttle=key, limit=limit, window_seconds=window_seconds)
        return False
    return True


def throttle_spent(key: str, *, limit: int) -> bool:
    """True when the window running on `key` has seen `limit` hits already (one more would be refused);
    looks without counting."""
    return (cache.get(f"throttle:{key}") or 0) >= limit
