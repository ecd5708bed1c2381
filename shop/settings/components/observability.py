"""Observability: structured logs, metrics and errors to Sentry."""

from django.core.exceptions import ImproperlyConfigured

from shop.observability.sentry import sentry_init

from .environment import env

PROMETHEUS_EXPORT_MIGRATIONS = False

LOG_LEVEL = env("LOG_LEVEL", default="INFO")


def log_format_from_env(default: str) -> str:
    value = env("LOG_FORMAT", default=default)
    if value not in ("console", "json"):
        raise ImproperlyConfigured(f"LOG_FORMAT must be console or json, not {value!r}.")
    return value


# Every line is structured (shop/observability/logging.py): `console` renders it for people, `json` as one
# object per line for a log store (production's default). Both mask secrets and email addresses.
LOG_FORMAT = log_format_from_env("console")
LOGGING_CONFIG = "shop.observability.logging.logging_configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "console": {"()": "shop.observability.logging.console_formatter"},
        "json": {"()": "shop.observability.logging.json_formatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
        "PIL": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "apscheduler": {"level": "WARNING"},  # a line per job run; our task logs say what ran
        "shop.audit": {"level": "INFO"},  # the account audit trail (shop/accounts/audit.py)
        # runserver's access lines: through the same formatter (and redaction) instead of Django's own handler.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
# django-structlog: the request id and the client's address are the shop's own (shop/observability/).
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = False
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False

# /metrics answers these networks only (Prometheus scrapers); everyone else gets 403.
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])

# Errors (web requests and tasks) go to Sentry when SENTRY_DSN is set, without personal data
# (shop/observability/sentry.py); unset, the SDK is not started. Here, before the broker exists (see that module).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
