"""Email backends.

OutboxEmailBackend makes every email durable: Django, Oscar and allauth all send mail
through `EMAIL_BACKEND`; this backend stores each message and queues its delivery
through the outbox, so the caller's transaction decides whether the email exists,
and a Redis outage only delays it. ReadableConsoleBackend is the development
delivery backend (`EMAIL_DELIVERY_BACKEND` in dev).
"""

import sys

from django.core.mail.backends.base import BaseEmailBackend

from .services import email_queue


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            email_queue(message=message)
        return len(email_messages)


class ReadableConsoleBackend(BaseEmailBackend):
    """Development delivery: prints what a person reads (headers, text, attachment names), not MIME and base64."""

    def send_messages(self, email_messages):
        for message in email_messages:
            attachments = [
                f"  📎 {name} ({mimetype}, {len(content)} bytes)"
                for name, content, mimetype in (_attachment_summary(item) for item in message.attachments)
            ]
            sys.stdout.write(
                "\n".join(
                    [
                        "-" * 72,
                        f"From: {message.from_email}",
                        f"To: {', '.join(message.to)}",
                        f"Subject: {message.subject}",
                        "",
                        message.body.strip(),
                        *(["", "Attachments:", *attachments] if attachments else []),
                        "-" * 72,
                        "",
                    ]
                )
            )
            sys.stdout.flush()
        return len(email_messages)


def _attachment_summary(item):
    if hasattr(item, "get_filename"):  # a MIME part
        return item.get_filename() or "(unnamed)", item.as_bytes(), item.get_content_type()
    name, content, mimetype = item
    return name or "(unnamed)", content, mimetype or "application/octet-stream"
