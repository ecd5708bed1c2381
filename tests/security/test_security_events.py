"""Refusals are logged as security events (category "security"), each under the request it refused."""

import pytest
from django.test import Client

from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db


def security_lines(json_logs, request_id: str) -> list[dict]:
    return json_logs.lines(category="security", request_id=request_id)


def test_webhook_calls_for_no_payment_of_ours_are_security_events(client, json_logs):
    client.post("/payments/mollie/webhook/", {"id": "tr_forged12345"}, HTTP_X_REQUEST_ID="forged-1")
    client.post("/payments/mollie/webhook/", {"id": "<script>"}, HTTP_X_REQUEST_ID="forged-2")

    (unknown,) = security_lines(json_logs, "forged-1")
    (malformed,) = security_lines(json_logs, "forged-2")
    assert unknown["event"] == malformed["event"] == "mollie webhook refused"
    assert unknown["reason"] == "unknown payment id" and unknown["mollie_id"] == "tr_forged12345"
    assert malformed["reason"] == "malformed id" and unknown["level"] == "warning"


def test_a_throttled_client_is_a_security_event(settings, json_logs):
    settings.SHOP_ORDER_LOOKUP_RATE = 1
    guest = Client(REMOTE_ADDR="203.0.113.9")
    answers = [
        guest.post("/shop/order-lookup/", {"number": "100001", "email": "a@example.com"}, HTTP_X_REQUEST_ID=f"try-{n}")
        for n in range(2)
    ]

    assert [answer.status_code for answer in answers] == [200, 429]
    assert security_lines(json_logs, "try-0") == []
    (refused,) = security_lines(json_logs, "try-1")
    assert refused["event"] == "throttled" and refused["throttle"] == "order-lookup:203.0.113.9"


def test_staff_turned_away_by_the_staff_rules_are_security_events(json_logs):
    user_with_login("new.staff@example.com", is_staff=True, totp=False)
    user_with_login("clerk@example.com", is_staff=True)  # with a second factor, but no superuser
    newcomer, clerk = Client(), Client()
    login(newcomer, "new.staff@example.com")
    login(clerk, "clerk@example.com")

    newcomer.get("/shop/dashboard/", HTTP_X_REQUEST_ID="no-2fa")
    clerk.get("/django-admin/", HTTP_X_REQUEST_ID="not-root")

    (no_second_factor,) = security_lines(json_logs, "no-2fa")
    assert no_second_factor["event"] == "staff area refused" and no_second_factor["reason"] == "no second factor"
    (not_root,) = security_lines(json_logs, "not-root")  # one line, however often the admin asks
    assert not_root["event"] == "admin refused" and not_root["user_id"] is not None
