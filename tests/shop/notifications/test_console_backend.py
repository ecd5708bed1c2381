from django.core.mail import EmailMultiAlternatives

from shop.notifications.backends import ReadableConsoleBackend


def test_development_email_shows_what_a_person_reads_and_names_attachments(capsys):
    message = EmailMultiAlternatives("Your order 100001 is confirmed", "Thank you!", "shop@example.com", ["a@b.nl"])
    message.attach("receipt-2026-000001.pdf", b"%PDF-1.7 " + b"x" * 5000, "application/pdf")

    assert ReadableConsoleBackend().send_messages([message]) == 1

    printed = capsys.readouterr().out
    assert "Subject: Your order 100001 is confirmed" in printed and "Thank you!" in printed
    assert "receipt-2026-000001.pdf (application/pdf, 5009 bytes)" in printed
    assert "xxxx" not in printed and "base64" not in printed
