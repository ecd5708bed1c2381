"""Email: the outbox backend every message goes through, and the server the `emails` queue delivers to."""

from .commerce import OSCAR_FROM_EMAIL
from .environment import env

# --- Email ------------------------------------------------------------------
# Every email is stored in the database and sent by the `emails` queue;
# EMAIL_DELIVERY_BACKEND is what the worker finally hands it to.
EMAIL_BACKEND = "shop.notifications.backends.OutboxEmailBackend"
EMAIL_DELIVERY_BACKEND = env("EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email = env.email_url("EMAIL_URL", default="smtp://127.0.0.1:25")
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 15
