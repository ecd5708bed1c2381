"""After the purchase, in headless Chromium: staff ship a paid order in the dashboard, the carrier
(the simulator on loopback) pushes and is polled, and the shopper follows each step on the order's
timeline and gets each email once, counted at a real SMTP sink."""

import email
import re
import time

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from playwright.sync_api import expect

from shop.fulfilment.carriers.base import Milestone
from shop.fulfilment.models import TrackingEvent
from shop.fulfilment.tasks import poll_open_shipments
from tests.e2e.steps import (
    check_out_to_mollie,
    confirmed_order_number,
    pay_at_mollie,
    sign_in,
)
from tests.support.users import TOTP_SECRET, with_totp

Order = get_model("order", "Order")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOPPER_EMAIL = "shopper@example.com"
TRACKING_NUMBER = "3SSHOP0012345"


@pytest.fixture
def shop(live_demo_shop, mollie, smtp_server, task_worker, pushing_carriers, screenshot_on_failure, settings):
    settings.SHOP_TRACKING_POLL_MINUTES = 0  # every open parcel is due at each scheduled poll
    return live_demo_shop


def subjects_to(smtp_server, recipient: str) -> list[str]:
    return [
        email.message_from_bytes(envelope.content)["Subject"]
        for envelope in list(smtp_server.messages)
        if envelope.rcpt_tos == [recipient]
    ]


def wait_for_subjects(smtp_server, recipient: str, count: int, timeout: float = 20) -> list[str]:
    deadline = time.monotonic() + timeout
    while len(subjects_to(smtp_server, recipient)) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return subjects_to(smtp_server, recipient)


def buy_and_pay(page, base_url: str) -> str:
    sign_in(page, base_url, SHOPPER_EMAIL)
    check_out_to_mollie(page, base_url, "iDEAL")
    pay_at_mollie(page, "Paid", method="iDEAL")
    return confirmed_order_number(page)


def ship_in_the_dashboard(browser, base_url: str, number: str) -> None:
    staff = browser.new_context()
    try:
        page = staff.new_page()
        staff_member = get_user_model().objects.get(email="staff@example.com")
        with_totp(staff_member)
        sign_in(page, base_url, "staff@example.com", totp_secret=TOTP_SECRET)
        page.goto(f"{base_url}/shop/dashboard/orders/{number}/")
        form = page.locator("#ship-form")
        expect(form).to_be_visible()
        form.get_by_label("Carrier").select_option(label="PostNL")
        form.get_by_label("Tracking number").fill(TRACKING_NUMBER)
        form.get_by_role("button", name="Ship").click()
        expect(page.get_by_text(f"Parcel {TRACKING_NUMBER} shipped; the customer is emailed.")).to_be_visible()
        expect(page.locator("#order-parcels tr.parcel")).to_have_count(1)
        expect(page.locator("#ship-form")).to_have_count(0)  # everything shipped: nothing left to put in a parcel
    finally:
        staff.close()


def expect_on_the_timeline(page, title: str) -> None:
    """Exactly one entry with this title."""
    expect(
        page.locator("#order-timeline li strong").filter(has_text=re.compile(rf"^{re.escape(title)}$"))
    ).to_have_count(1)


def test_a_paid_order_is_shipped_tracked_and_delivered_with_each_email_once(
    page, shop, smtp_server, task_worker, pushing_carriers
):
    number = buy_and_pay(page, shop.url)
    task_worker.wait_idle()

    ship_in_the_dashboard(page.context.browser, shop.url, number)
    task_worker.wait_idle()
    assert Order.objects.get(number=number).status == "Shipped"

    # The carrier pushes "out for delivery"; the scheduled poll then finds the same event.
    pushing_carriers.add_event("postnl", TRACKING_NUMBER, Milestone.OUT_FOR_DELIVERY, push=True)
    poll_open_shipments.send()
    task_worker.wait_idle()
    page.goto(f"{shop.url}/shop/accounts/orders/{number}/")
    expect(page.locator("#order-parcels .parcel")).to_have_attribute("data-milestone", "out_for_delivery")
    expect_on_the_timeline(page, "Parcel shipped")
    expect_on_the_timeline(page, "Status: Out for delivery")

    # "Delivered" arrives by the poll first, then by a push: one event, one email.
    pushing_carriers.add_event("postnl", TRACKING_NUMBER, Milestone.DELIVERED)
    poll_open_shipments.send()
    task_worker.wait_idle()
    assert pushing_carriers.push("postnl", TRACKING_NUMBER) == 200
    task_worker.wait_idle()
    page.reload()
    expect(page.locator("#order-parcels .parcel")).to_have_attribute("data-milestone", "delivered")
    expect_on_the_timeline(page, "Status: Delivered")
    expect_on_the_timeline(page, "Email sent: Parcel delivered")

    wait_for_subjects(smtp_server, SHOPPER_EMAIL, 4)
    # Every task has run (each SMTP hop is synchronous inside its task): an email sent twice is in already.
    task_worker.wait_idle()
    assert subjects_to(smtp_server, SHOPPER_EMAIL) == [
        f"Your order {number} is confirmed",
        f"Your order {number} is on its way",
        f"Your order {number} arrives today",
        f"Your order {number} has been delivered",
    ]
    sources = sorted(TrackingEvent.objects.values_list("milestone", "source"))
    assert sources == [("delivered", "poll"), ("out_for_delivery", "push")]
    assert Order.objects.get(number=number).status == "Delivered"
