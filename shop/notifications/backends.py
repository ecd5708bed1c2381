"""An email backend that makes every email durable.

Django, Oscar and allauth all send mail through `EMAIL_BACKEND`; this backend
stores each message and queues its delivery through the outbox, so the caller's
transaction decides whether the email exists, and a Redis outage only delays it.
"""

from django.core.mail.backends.base import BaseEmailBackend

from .services import email_queue


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            email_queue(message=message)
        return len(email_messages)
