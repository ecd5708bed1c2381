"""Fixed-window request counters in the cache (Redis in tests and production)."""

from django.core.cache import cache


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
    return count <= limit


def throttle_spent(key: str, *, limit: int) -> bool:
    """True when the window running on `key` has seen `limit` hits already (one more would be refused);
    looks without counting."""
    return (cache.get(f"throttle:{key}") or 0) >= limit
