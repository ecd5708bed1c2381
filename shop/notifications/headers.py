"""Headers every stored email is sent with, derived from its row so that each delivery of it is the same."""

import hashlib
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings

from .models import OutgoingEmail


def email_message_id(email: OutgoingEmail) -> str:
    """`<email-{pk}.{digest}@{domain}>`, the same on every delivery of the row.

    Delivery is at least once (a worker that dies after the SMTP server took the message and before the
    row is marked sent sends it again): the copies share this Message-ID, so mail clients and servers
    show them as one message. The digest of the row's creation time keeps ids apart across databases
    sending from one domain (staging, a restored backup), where primary keys repeat."""
    digest = hashlib.sha256(f"{email.pk}:{email.created_at.isoformat()}".encode()).hexdigest()[:12]
    return f"<email-{email.pk}.{digest}@{message_id_domain()}>"


def message_id_domain() -> str:
    """The sender's domain (DEFAULT_FROM_EMAIL), or the shop's host when the sender has none."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return domain or urlsplit(settings.SHOP_BASE_URL).hostname or "localhost"


def email_headers(email: OutgoingEmail) -> dict[str, str]:
    """The row's stored headers, plus its Message-ID and X-Request-Id unless the sender set them itself."""
    headers = dict(email.headers)
    given = {name.lower() for name in headers}
    if "message-id" not in given:
        headers["Message-ID"] = email_message_id(email)
    if email.request_id and "x-request-id" not in given:
        headers["X-Request-Id"] = email.request_id
    return headers
