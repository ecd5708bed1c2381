"""The cache's client: while Redis cannot be reached the shop works from the database.

django-redis (IGNORE_EXCEPTIONS) answers a miss for a read and drops a write. `add` is the one call
that must not answer "not added": allauth takes a short lock with it before each rate-limit check,
and a lock that can never be taken refuses every sign-in as "too many attempts". While the cache is
down `add` answers True, so rate limits let requests through until it is back instead of locking
everyone out.
"""

import logging

from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger("shop.cache")


class FailOpenClient(DefaultClient):
    def add(self, key, *args, **kwargs):
        try:
            return super().add(key, *args, **kwargs)
        except ConnectionInterrupted as exc:
            logger.warning("cache unreachable (%s): add(%r) let through", exc.__cause__, key)
            return True
