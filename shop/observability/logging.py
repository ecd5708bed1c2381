"""Structured logs: structlog renders every line, the shop's own and every library's.

Django calls `logging_configure` with settings.LOGGING (LOGGING_CONFIG). Code keeps using
`logging.getLogger(__name__)`; structlog's ProcessorFormatter turns each record into an event with the
bound context (request id, task id, order number, ...) and renders it as a readable console line
(`LOG_FORMAT=console`, dev and tests) or as one JSON object per line (`LOG_FORMAT=json`, production).
Secrets are masked before either renderer sees them (shop/observability/redaction.py).
"""

import logging.config
import sys

import structlog

from .redaction import redact

# Fields the standard library's `extra=` may add to a line (the rest of a record's attributes stay out:
# Django's `request` object, for one, would print its whole URL).
EXTRA_FIELDS = ("category",)


def _shared_processors() -> list:
    """What every line gets, whether it was written through structlog or the standard library."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def logging_configure(config: dict) -> None:
    """LOGGING_CONFIG: set structlog up to hand its events to the standard library, then apply LOGGING."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    logging.config.dictConfig(config)


def _formatter(renderer) -> structlog.stdlib.ProcessorFormatter:
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_shared_processors(), structlog.stdlib.ExtraAdder(allow=EXTRA_FIELDS)],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            # The traceback becomes text first, so that an address in an exception's message is masked too.
            structlog.processors.format_exc_info,
            redact,
            renderer,
        ],
    )


def json_formatter() -> structlog.stdlib.ProcessorFormatter:
    """One JSON object per line: what production ships to its log store."""
    return _formatter(structlog.processors.JSONRenderer())


def console_formatter() -> structlog.stdlib.ProcessorFormatter:
    """A line a person reads: time, level, event, then the fields as key=value."""
    return _formatter(structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty()))
