"""Staff see stored attachments (never their content) and can send a failed email again."""

import pytest
from django.core.mail import EmailMessage

from shop.notifications.models import OutgoingEmail
from shop.notifications.services import email_deliver
from shop.outbox.models import OutboxMessage
from tests.support.users import with_totp

CHANGELIST = "/django-admin/notifications/outgoingemail/"


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(
        with_totp(django_user_model.objects.create_superuser(email="root@example.com", password="x" * 16))
    )
    return client


def stored_email(subject: str, status: str) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        subject=subject, from_email="shop@example.com", to=["buyer@example.com"], status=status, last_error="boom"
    )


@pytest.mark.django_db
def test_the_email_page_lists_attachment_names_and_sizes_but_not_their_content(superuser_client):
    message = EmailMessage("Receipt", "Attached.", to=["buyer@example.com"])
    message.attach("receipt-2026-0001.pdf", b"%PDF-PRIVATE-CONTENT-MARKER" + b"\x00" * 1000, "application/pdf")
    message.send()
    email = OutgoingEmail.objects.get()

    html = superuser_client.get(f"{CHANGELIST}{email.pk}/change/").content.decode()

    assert "receipt-2026-0001.pdf" in html
    size_cell = html[html.index('class="field-size"') :][:200]
    assert "<p>1027</p>" in size_cell  # bytes
    assert "PRIVATE-CONTENT-MARKER" not in html


@pytest.mark.django_db
def test_send_again_requeues_failed_emails_through_the_outbox_and_they_arrive(superuser_client, smtp_server):
    failed = stored_email("Your order shipped", OutgoingEmail.Status.FAILED)
    sent = stored_email("Welcome", OutgoingEmail.Status.SENT)

    response = superuser_client.post(
        CHANGELIST, {"action": "send_again", "_selected_action": [failed.pk, sent.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "1 failed email(s) queued again" in response.content.decode()
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == OutgoingEmail.Status.QUEUED and failed.last_error == "boom"
    assert sent.status == OutgoingEmail.Status.SENT, "a delivered email is never sent twice"
    assert list(OutboxMessage.objects.values_list("actor_name", "args")) == [("send_email", [failed.pk])]

    assert email_deliver(email_id=failed.pk) is True  # what the relayed task runs
    assert [m.rcpt_tos for m in smtp_server.messages] == [["buyer@example.com"]]
