"""Dramatiq takes every duration of an actor (time_limit, max_age, min_backoff, max_backoff) in milliseconds:
the units, named once, for every tasks module."""

SECOND_MS = 1000
MINUTE_MS = 60 * SECOND_MS
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
