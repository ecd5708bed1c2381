"""Attachments are stored with their email and arrive over SMTP byte for byte."""

import email
from email.mime.image import MIMEImage
from email.policy import default as modern_policy

import pytest
from django.core.mail import EmailMessage
from django.core.mail.message import EmailAttachment
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.notifications.models import OutgoingEmail
from shop.notifications.services import email_deliver, email_queue

PDF = b"%PDF-1.7\n" + bytes(range(256)) + b"\r\n\x00%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(255, -1, -1))
NOTES = "Grüße aus Amsterdam\nline two\n"


def received_parts(smtp_server) -> dict:
    """filename -> received MIME part, from the one message the SMTP server accepted."""
    [envelope] = smtp_server.messages
    parsed = email.message_from_bytes(envelope.content, policy=modern_policy)
    return {part.get_filename(): part for part in parsed.walk() if part.get_filename()}


@pytest.mark.django_db
def test_every_attachment_form_is_stored_and_arrives_byte_for_byte(smtp_server):
    message = EmailMessage("Your receipt", "Your receipt is attached.", to=["buyer@example.com"])
    message.attach("receipt-2026-0001.pdf", PDF, "application/pdf")  # bytes
    message.attach("notes.txt", NOTES)  # str, mimetype guessed
    message.attachments.append(EmailAttachment("export.csv", b"sku,qty\nA-1,2\n", "text/csv"))  # bytes text
    message.attachments.append(["raw.bin", bytearray(b"\x00\xff\x00"), None])  # Oscar's list form, no mimetype
    logo = MIMEImage(PNG, "png")  # a MIMEBase the sender built, with its own headers
    logo.add_header("Content-ID", "<logo@shop>")
    logo.add_header("Content-Disposition", "inline", filename="logo.png")
    message.attach(logo)
    message.attach("forwarded.eml", EmailMessage("Inner subject", "inner body", to=["x@example.com"]))
    message.send()  # through OutboxEmailBackend: stored, not sent

    stored = OutgoingEmail.objects.get()
    rows = list(stored.attachments.order_by("pk"))
    assert [(r.filename, r.mimetype, r.size) for r in rows[:5]] == [
        ("receipt-2026-0001.pdf", "application/pdf", len(PDF)),
        ("notes.txt", "text/plain", len(NOTES.encode())),
        ("export.csv", "text/csv", 14),
        ("raw.bin", "application/octet-stream", 3),
        ("logo.png", "image/png", len(PNG)),
    ]
    assert bytes(rows[0].content) == PDF
    assert smtp_server.messages == [], "nothing is sent before the worker delivers"

    assert email_deliver(email_id=stored.pk) is True

    parts = received_parts(smtp_server)
    assert set(parts) == {"receipt-2026-0001.pdf", "notes.txt", "export.csv", "raw.bin", "logo.png", "forwarded.eml"}
    assert parts["receipt-2026-0001.pdf"].get_content_type() == "application/pdf"
    assert parts["receipt-2026-0001.pdf"].get_payload(decode=True) == PDF
    assert parts["notes.txt"].get_content_type() == "text/plain"
    # Text parts travel as text: SMTP puts CRLF line ends on the wire, as it would without the outbox.
    assert parts["notes.txt"].get_content().replace("\r\n", "\n") == NOTES
    assert parts["export.csv"].get_payload(decode=True).replace(b"\r\n", b"\n") == b"sku,qty\nA-1,2\n"
    assert parts["raw.bin"].get_payload(decode=True) == b"\x00\xff\x00"
    assert parts["logo.png"].get_content_type() == "image/png"
    assert parts["logo.png"].get_payload(decode=True) == PNG
    assert parts["logo.png"]["Content-ID"] == "<logo@shop>"
    assert parts["forwarded.eml"].get_content_type() == "message/rfc822"
    assert parts["forwarded.eml"].get_content()["Subject"] == "Inner subject"


@pytest.mark.django_db
def test_a_non_ascii_filename_arrives_intact(smtp_server):
    message = EmailMessage("Factuur", "Zie bijlage.", to=["buyer@example.com"])
    message.attach("Rechnung-Müller.pdf", PDF, "application/pdf")
    message.send()

    email_deliver(email_id=OutgoingEmail.objects.get().pk)

    assert received_parts(smtp_server)["Rechnung-Müller.pdf"].get_payload(decode=True) == PDF


def queries_to_store(attachment_count: int) -> int:
    message = EmailMessage("Hi", "body", to=["a@example.com"])
    for number in range(attachment_count):
        message.attach(f"file-{number}.bin", bytes([number]) * 100, "application/octet-stream")
    with CaptureQueriesContext(connection) as queries:
        email_queue(message=message)
    return len(queries)


@pytest.mark.django_db
def test_all_attachments_are_stored_in_one_query():
    without, one, five = queries_to_store(0), queries_to_store(1), queries_to_store(5)

    assert one == without + 1
    assert five == one


@pytest.mark.parametrize(
    "attachment",
    [
        ("two", "items"),  # not a (filename, content, mimetype) triple
        (("utf-8", "", "name.pdf"), b"%PDF", "application/pdf"),  # RFC 2231 filename
        ("count.bin", 42, "application/octet-stream"),  # content neither str nor bytes
        ("odd.bin", b"x", "nonsense"),  # not type/subtype
    ],
)
@pytest.mark.django_db
def test_an_attachment_that_cannot_be_restored_is_refused_and_nothing_is_stored(attachment):
    message = EmailMessage("Hi", "body", to=["a@example.com"])
    message.attachments.append(attachment)

    with pytest.raises(ValueError, match="cannot store attachment"):
        message.send()

    assert not OutgoingEmail.objects.exists()
