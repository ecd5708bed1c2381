"""Delivery is at least once; every copy of one stored email is the same message (one Message-ID)."""

import email
import re

import pytest
import structlog
from django.core.mail import EmailMessage

from shop.notifications.models import OutgoingEmail
from shop.notifications.services import email_deliver

pytestmark = pytest.mark.django_db


def delivered(smtp_server) -> list:
    return [email.message_from_bytes(message.content) for message in smtp_server.messages]


def test_a_redelivered_email_carries_the_same_message_id(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "Django Shop <orders@shop.example.com>"
    EmailMessage("Your order 1234 is confirmed", "Thank you.", to=["buyer@example.com"]).send()
    row = OutgoingEmail.objects.get()

    assert email_deliver(email_id=row.pk) is True
    # A worker killed after the SMTP server took the message and before the commit: the row is still queued.
    OutgoingEmail.objects.filter(pk=row.pk).update(status=OutgoingEmail.Status.QUEUED)
    assert email_deliver(email_id=row.pk) is True

    first, second = delivered(smtp_server)
    assert first["Message-ID"] == second["Message-ID"]
    assert re.fullmatch(rf"<email-{row.pk}\.[0-9a-f]{{12}}@shop\.example\.com>", first["Message-ID"])


def test_each_email_has_its_own_message_id_and_the_request_id_that_wrote_it(smtp_server):
    structlog.contextvars.bind_contextvars(request_id="req-42")
    EmailMessage("Reset your password", "Follow the link.", to=["a@example.com"]).send()
    structlog.contextvars.clear_contextvars()
    EmailMessage("Your order shipped", "On its way.", to=["a@example.com"]).send()

    for row in OutgoingEmail.objects.order_by("pk"):
        email_deliver(email_id=row.pk)

    reset, shipped = delivered(smtp_server)
    assert reset["Message-ID"] != shipped["Message-ID"]
    assert reset["X-Request-Id"] == "req-42" and shipped["X-Request-Id"] is None


def test_a_message_id_the_sender_chose_is_kept(smtp_server):
    EmailMessage("Hello", "Hi.", to=["a@example.com"], headers={"Message-Id": "<mine@example.com>"}).send()

    email_deliver(email_id=OutgoingEmail.objects.get().pk)

    (message,) = delivered(smtp_server)
    assert message.get_all("Message-ID") == ["<mine@example.com>"]
