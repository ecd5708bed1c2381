"""Sign-ins, failures, lockouts, password and email changes are logged with user, address and request id;
failures as security events, and the address typed masked like every address in the logs."""

import pytest
from django.test import Client

from shop.demo.accounts import DEMO_PASSWORD
from tests.support.users import ask_for_a_new_address, link_sent_to, login, user_with_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit_log(json_logs):
    return lambda: [(line["event"], line["request_id"]) for line in json_logs.lines(logger="shop.audit")]


def test_a_sign_in_and_a_failure_name_the_user_the_address_and_the_request(audit_log, json_logs):
    shopper = user_with_login("shopper@example.com")
    browser = Client(REMOTE_ADDR="198.51.100.4")

    browser.post("/accounts/login/", {"login": "shopper@example.com", "password": "wrong"}, HTTP_X_REQUEST_ID="req-1")
    login(browser, "shopper@example.com")

    lines = audit_log()
    assert ("sign-in-failed user=- ip=198.51.100.4 login=s***@example.com", "req-1") in lines
    assert any(m == f"sign-in user={shopper.pk} ip=198.51.100.4" for m, _ in lines)
    assert not any(DEMO_PASSWORD in m or "wrong" in m for m, _ in lines)
    categories = {line["event"].split()[0]: line["category"] for line in json_logs.lines(logger="shop.audit")}
    assert categories == {"sign-in-failed": "security", "sign-in": "audit"}


def test_a_lockout_is_logged(audit_log):
    user_with_login("target@example.com")
    browser = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(6):
        browser.post("/accounts/login/", {"login": "target@example.com", "password": "wrong"})

    assert "sign-in-locked-out user=- ip=203.0.113.5 login=t***@example.com" in [m for m, _ in audit_log()]


def test_password_and_email_changes_are_logged(audit_log):
    shopper = user_with_login("shopper@example.com")
    browser = Client(REMOTE_ADDR="198.51.100.4")
    login(browser, "shopper@example.com")
    new_password = "a-new-long-password-9"

    browser.post(
        "/accounts/password/change/",
        {"oldpassword": DEMO_PASSWORD, "password1": new_password, "password2": new_password},
        HTTP_X_REQUEST_ID="req-2",
    )

    assert (f"password-changed user={shopper.pk} ip=198.51.100.4", "req-2") in audit_log()

    ask_for_a_new_address(browser, "moved@example.com", password=new_password)
    browser.post(link_sent_to("moved@example.com"))

    assert any(
        m.startswith(f"email-changed user={shopper.pk} ip=198.51.100.4 old=s***@example.com new=m***@")
        for m, _ in audit_log()
    )
