"""One more try when PostgreSQL dropped the connection (a restart, a failover, a terminated backend).

Only for work that is safe to run twice: a single transaction that either committed nothing or
finds what it committed on the second run. Inside an outer transaction nothing can be retried (the
outer work is lost with the connection), so the error goes up unchanged.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

T = TypeVar("T")

# SQLSTATEs of a session the server ended: admin_shutdown, crash_shutdown, cannot_connect_now.
_SERVER_ENDED_SESSION = {"57P01", "57P02", "57P03"}


def connection_lost(exc: Exception) -> bool:
    """Whether `exc` says the connection is gone, as opposed to a query that failed on a healthy
    connection (a lock or statement timeout, a deadlock), which a retry would only repeat."""
    if isinstance(exc, InterfaceError):  # "connection already closed"
        return True
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    # No SQLSTATE: the client lost the socket ("server closed the connection unexpectedly").
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in _SERVER_ENDED_SESSION


def retry_on_dropped_connection(work: Callable[[], T], *, what: str, alias: str = DEFAULT_DB_ALIAS) -> T:
    """Run `work()`; if the database connection dropped under it, reconnect and run it once more."""
    try:
        return work()
    except (OperationalError, InterfaceError) as exc:
        connection = connections[alias]
        if connection.in_atomic_block or not connection_lost(exc):
            raise
        logger.warning("%s: the database connection dropped (%s); trying once more", what, str(exc).strip()[:200])
        connection.close()  # the next query opens a new connection
        return work()
