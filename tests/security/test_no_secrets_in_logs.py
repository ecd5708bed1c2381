"""No password, token, secret, full email address or card number reaches a log line.

The flows that handle them run for real (sign-up with its confirmation link, a failed and a good sign-in,
a password reset through its emailed link, a guest checkout paid at the Mollie simulator with its webhook,
and every email delivered over SMTP), with every line captured as production's JSON formatter writes it.
"""

import json
import logging
import re
from urllib.parse import urlsplit

import pytest
import structlog
from django.conf import settings
from django.test import Client
from oscar.core.loading import get_model

from shop.notifications.models import OutgoingEmail
from shop.payments.models import Payment
from shop.payments.services.checkout import payment_return_path
from tests.support.checkout import checkout_to_preview, pay_at_mollie, place_order, webhook
from tests.support.logs import JsonLogs
from tests.support.tasks import run_outbox

Order = get_model("order", "Order")

SHOPPER = "jane.doe@example.com"
GUEST = "guest.buyer@example.org"
PASSWORD = "Correct-Horse-9-battery"
WRONG_PASSWORD = "Wrong-Password-77-guess"
NEW_PASSWORD = "Another-Long-Password-5"
CARD = "4111 1111 1111 1111"


def link_in_latest_email(address: str, marker: str) -> str:
    body = OutgoingEmail.objects.filter(to=[address]).latest("pk").body
    return urlsplit(re.search(rf"https?://\S*{re.escape(marker)}\S*", body).group()).path


@pytest.mark.django_db
def test_accounts_checkout_and_emails_log_no_secret(lamp, mollie, smtp_server, json_logs):
    browser = Client()
    browser.post("/accounts/signup/", {"email": SHOPPER, "password1": PASSWORD, "password2": PASSWORD})
    confirmation = link_in_latest_email(SHOPPER, "/accounts/confirm-email/")
    browser.get(confirmation)
    assert browser.post(confirmation).status_code == 302
    browser.post("/accounts/logout/")
    Client().post("/accounts/login/", {"login": SHOPPER, "password": WRONG_PASSWORD})
    assert browser.post("/accounts/login/", {"login": SHOPPER, "password": PASSWORD}).status_code == 302

    Client().post("/accounts/password/reset/", {"email": SHOPPER})
    reset = link_in_latest_email(SHOPPER, "/accounts/password/reset/key/")
    stranger = Client()
    set_password = stranger.get(reset)["Location"]  # allauth keeps the key in the session, then redirects
    stranger.post(set_password, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    guest = Client()
    checkout_to_preview(guest, lamp, method="creditcard", guest_email=GUEST)
    pay_at_mollie(place_order(guest)["Location"])
    payment = Payment.objects.get()
    webhook(guest, payment.mollie_id)
    order = Order.objects.get()
    guest.get(payment_return_path(order))  # the signed link back from Mollie
    run_outbox()  # the payment sync, the confirmation, and every email's delivery over SMTP

    assert Order.objects.get().status == "Paid" and len(smtp_server.messages) >= 4
    logs = json_logs.text
    assert "request_finished" in logs and "email sent" in logs, "the flows were logged"
    secrets = {
        "passwords": [PASSWORD, WRONG_PASSWORD, NEW_PASSWORD],
        "email confirmation key": [confirmation.rstrip("/").rsplit("/", 1)[-1]],
        "password reset key": [reset.rstrip("/").rsplit("/", 1)[-1], reset.rstrip("/").rsplit("-", 1)[-1]],
        "order link": [order.verification_hash()],
        "session": [browser.cookies[settings.SESSION_COOKIE_NAME].value],
        "keys": [
            settings.SECRET_KEY,
            settings.MOLLIE_API_KEY,
            *(c["API_KEY"] for c in settings.SHOP_CARRIERS.values()),
        ],
    }
    for what, values in secrets.items():
        for value in values:
            assert value and value not in logs, f"{what} in the logs"
    # Addresses appear only masked (a Message-ID, <email-1.ab12@domain>, names no person).
    assert not re.search(r"[\w.+-]{2,}@", re.sub(r"<email-[\w.]+@", "", logs)), "a full email address in the logs"
    assert "j***@example.com" in logs and "/accounts/password/reset/key/redacted-redacted/" in logs


@pytest.mark.parametrize("write", ["stdlib", "structlog"])
def test_secrets_written_into_a_line_are_masked(write):
    """Whatever a library or a careless call puts in a line: fields named for secrets, card numbers and
    addresses in free text, tokens in a URL."""
    with JsonLogs() as logs:
        message = f"paid with {CARD} by {SHOPPER}, see https://shop.example.com/accounts/confirm-email/MTIz:abc/"
        if write == "stdlib":
            logging.getLogger("shop.test").warning(message)
        else:
            structlog.get_logger("shop.test").warning(
                message, password=PASSWORD, authorization="Bearer live_abc", card_number=CARD, api_key="k-123"
            )

    (line,) = logs.lines(logger="shop.test")
    text = json.dumps(line)
    for secret in (CARD, "4111111111111111", SHOPPER, "MTIz:abc", PASSWORD, "live_abc", "k-123"):
        assert secret not in text
    assert line["event"] == (
        "paid with [card] by j***@example.com, see https://shop.example.com/accounts/confirm-email/redacted/"
    )
