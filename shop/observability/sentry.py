"""Errors to Sentry through its SDK, when SENTRY_DSN is set (settings call `sentry_init`; nothing happens without it).

Called from the settings, before django_dramatiq builds the broker: Sentry's Dramatiq integration adds its
middleware to every broker made after `sentry_sdk.init`. What leaves the shop carries no personal data: no
user, cookie or IP (send_default_pii=False), no request body (checkout and sign-in forms hold addresses and
passwords), no local variables of the frames; email addresses left in messages, log breadcrumbs or URLs are
replaced, and Sentry's own scrubber drops fields named like passwords, tokens and secrets."""

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.dramatiq import DramatiqIntegration

# user@example.com, also URL-encoded (user%40example.com) in a query string.
EMAIL_ADDRESS = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")
REDACTED_EMAIL = "[email]"


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), DramatiqIntegration()],
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=_redacted,
        before_send_transaction=_redacted,
        before_breadcrumb=_redacted,
    )


def _redacted(event: dict, hint: Any) -> dict:
    return _without_email_addresses(event)


def _without_email_addresses(value: Any) -> Any:
    if isinstance(value, str):
        return EMAIL_ADDRESS.sub(REDACTED_EMAIL, value)
    if isinstance(value, dict):
        return {key: _without_email_addresses(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_email_addresses(item) for item in value]
    return value
