"""The redaction every log line goes through: secrets go, what an operator needs to read stays."""

import pytest

from shop.observability.redaction import REDACTED, redact, text_redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sent to ['jane.doe@example.com', 'b@shop.nl']", "sent to ['j***@example.com', 'b***@shop.nl']"),
        ("smtp://mailer:hunter2@smtp.example.com:587", "smtp://mailer:h***@smtp.example.com:587"),
        ("card 4111-1111-1111-1111 declined", "card [card] declined"),
        ("card 5500 0000 0000 0004", "card [card]"),
        # Numbers that are not cards (Luhn fails, or too short) are left for the operator.
        ("order 100042, tracking 3SSHOP0000001, 1234567890123", "order 100042, tracking 3SSHOP0000001, 1234567890123"),
        ("GET /shop/checkout/payment/100042/abc123def/pay/", "GET /shop/checkout/payment/100042/redacted/pay/"),
        (
            "Not Found: /shop/accounts/order-status/100042/1:a2b3c4/",
            "Not Found: /shop/accounts/order-status/100042/redacted/",
        ),
        ("/accounts/confirm-email/MTIz:1xZr:abc/", "/accounts/confirm-email/redacted/"),
        ("/shop/catalogue/lamp_1/?page=2&sort=price", "/shop/catalogue/lamp_1/?page=2&sort=price"),
        (
            "https://shop.example.com/accounts/google/login/callback/?code=4/0Ab&state=xyz&scope=email",
            f"https://shop.example.com/accounts/google/login/callback/?code={REDACTED}&state={REDACTED}&scope=email",
        ),
    ],
)
def test_text_keeps_what_an_operator_reads_and_masks_the_rest(text, expected):
    assert text_redact(text) == expected


def test_fields_named_for_secrets_are_replaced_whole_at_any_depth():
    event = {
        "event": "mollie call",
        "password": "hunter2",
        "headers": {"Authorization": "Bearer live_abc", "Accept": "application/json"},
        "details": [{"cardNumber": "1111", "cardHolder": "T. TEST", "method": "creditcard"}],
        "api_key": "test_abc",
        "message_id": "<email-3.ab12cd34ef56@shop.example.com>",
        "status": 201,
        "token": None,
    }

    assert redact(None, "info", event) == {
        "event": "mollie call",
        "password": REDACTED,
        "headers": {"Authorization": REDACTED, "Accept": "application/json"},
        "details": [{"cardNumber": REDACTED, "cardHolder": REDACTED, "method": "creditcard"}],
        "api_key": REDACTED,
        "message_id": "<email-3.ab12cd34ef56@shop.example.com>",  # names no person: kept to find the email
        "status": 201,
        "token": None,
    }
