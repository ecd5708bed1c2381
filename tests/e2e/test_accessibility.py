"""Every storefront page against axe-core's WCAG 2.0 and 2.1 A and AA rules, in headless Chromium.

One walk visits every page once, as a shopper does (a guest's checkout with its payment return pages, a
signed-in shopper's checkout and account, every sign-in page, the error pages), and records axe's violations
per page; each page is then a test of its own, so a failure names the page, and prints each rule with its
impact and the nodes it failed on. The walk runs once per module: one demo shop, not one per page.

Each page is also drawn 375 px wide, as on a phone: it must not scroll sideways. With SHOP_SCREENSHOTS=<folder>
the walk saves a full-page screenshot of each page at 1280 and 375 px there.

axe-core comes from the axe-playwright-python package (its bundled axe.min.js), pinned with hashes in
requirements/dev.txt.
"""

import os
import re
import traceback
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.test.utils import override_settings
from oscar.core.loading import get_model
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from shop.demo.accounts import DEMO_PASSWORD
from shop.devtools.mollie import MollieSimulator
from shop.payments.models import Payment
from shop.payments.services.checkout import payment_return_path
from tests.e2e import steps
from tests.support.catalogue import parent_with_variants
from tests.support.checkout import voucher
from tests.support.users import a_fresh_totp_period, totp_code, user_with_login

Category = get_model("catalogue", "Category")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")

# A plain database mark: the walk's fixture writes and commits on its own (below); each page's test only reads
# what the walk found, inside the usual rolled-back transaction.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
GUEST_EMAIL = "guest.a11y@example.com"
CAREFUL_EMAIL = "careful.a11y@example.com"
VOUCHER = "WELCOME10"

# Every page the walk audits, in the order it reaches them.
PAGES = [
    "home",
    "category",
    "product",
    "product-with-variants",
    "search-results",
    "404",
    "429",
    "500",
    "login",
    "login-with-errors",
    "signup",
    "signup-with-errors",
    "email-verification-sent",
    "password-reset",
    "password-reset-done",
    "password-reset-from-key",
    "email-confirm",
    "reauthenticate",
    "two-factor-activate",
    "two-factor-recovery-codes",
    "two-factor-login",
    "order-lookup",
    "order-lookup-with-errors",
    "basket-with-voucher",
    "checkout-who-are-you",
    "checkout-shipping-address-with-errors",
    "checkout-shipping-method",
    "checkout-payment-method",
    "checkout-preview",
    "payment-waiting",
    "payment-failed",
    "payment-transfer-details",
    "guest-order-found",
    "signed-in-basket",
    "signed-in-shipping-address",
    "signed-in-shipping-method",
    "signed-in-payment-method",
    "signed-in-preview",
    "thank-you",
    "account-profile",
    "account-order-history",
    "account-order-detail",
    "account-address-book",
    "account-address-form",
    "account-email",
    "account-password-change",
    "account-two-factor",
    "account-sessions",
    "account-my-data",
    "logout",
]


@dataclass
class Audit:
    """What axe found on each page reached; `stopped` says where and why the walk ended early."""

    url: str = ""
    found: dict[str, list[dict]] = field(default_factory=dict)
    widths: dict[str, tuple[int, int]] = field(default_factory=dict)  # at 375 px: (scrollWidth, innerWidth)
    stopped: str = ""
    page: object = None  # the tab the walk is on

    def check(self, page, name: str) -> None:
        assert name in PAGES and name not in self.found, name
        page.wait_for_load_state("load")
        page.evaluate(AXE_SCRIPT)
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS
        )
        self.found[name] = [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [described(node) for node in violation["nodes"]],
            }
            for violation in results["violations"]
        ]
        self.found[name + " url"] = page.url  # type: ignore[assignment]
        self.on_a_phone(page, name)

    def on_a_phone(self, page, name: str) -> None:
        """The page at 375 px wide: how wide it is drawn; with SHOP_SCREENSHOTS set, a screenshot at both widths."""
        folder = os.environ.get("SHOP_SCREENSHOTS")
        if folder:
            page.screenshot(path=f"{folder}/{name}-1280.png", full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        try:
            self.widths[name] = tuple(page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]"))
            if folder:
                page.screenshot(path=f"{folder}/{name}-375.png", full_page=True)
        finally:
            page.set_viewport_size({"width": 1280, "height": 900})


def described(node: dict) -> str:
    """A failing node: its selector, the start of its markup and axe's summary (the colours, for contrast)."""
    target = " ".join(map(str, node["target"]))
    summary = node.get("failureSummary", "").replace("\n", " ")[:160]
    return f"{target}  {node['html'][:100]}  {summary}"


def stopped_on(page, folder) -> str:
    """Where the walk stood when it stopped: the URL, the page's alerts and a screenshot."""
    try:
        path = folder / "accessibility-walk-stopped.png"
        page.screenshot(path=str(path), full_page=True)
        alerts = page.locator(".alert, .invalid-feedback, .errorlist").all_inner_texts()
        url = page.url
        page.context.close()
        return f"\non {url}, alerts {alerts}; screenshot {path}"
    except Exception as exc:  # the walk's own error matters more
        return f"\n(no screenshot: {exc!r})"


def report(name: str, violations: list[dict], url: str) -> str:
    lines = [f"{name} ({url}): {sum(len(v['targets']) for v in violations)} nodes in {len(violations)} rules"]
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {target}" for target in violation["targets"][:15]]
        if len(violation["targets"]) > 15:
            lines.append(f"    … and {len(violation['targets']) - 15} more")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def audit(browser, django_db_setup, django_db_blocker, tmp_path_factory):
    """The walk, once: its own live server, Mollie simulator and demo shop, committed to the database; afterwards
    the database is flushed and given back the rows it had before, as a test with serialized rollback leaves it."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # set by the browser fixture; the walk reads the database too
    audit = Audit()
    with django_db_blocker.unblock():
        creation = connections["default"].creation
        before = getattr(creation.connection, "_test_serialized_contents", None) or creation.serialize_db_to_string()
        creation.deserialize_db_from_string(before)
        server = LiveServer("127.0.0.1:0")
        mollie = MollieSimulator(webhook_retry_delays=(0.05, 0.1))
        mollie.start()
        try:
            with override_settings(
                SHOP_BASE_URL=server.url,
                MOLLIE_API_ENDPOINT=mollie.url,
                MOLLIE_API_KEY="test_simulatorsecretkey0000000000",
                MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                SHOP_SEARCH_RATE=2,
            ):
                call_command("load_demo_shop", products=30, verbosity=0)
                audit.url = server.url
                try:
                    walk(browser, audit)
                except Exception:
                    reached = [name for name in PAGES if name in audit.found]
                    audit.stopped = f"after {reached[-1] if reached else 'nothing'}:\n{traceback.format_exc()}"
                    audit.stopped += stopped_on(audit.page, tmp_path_factory.getbasetemp())
        finally:
            mollie.stop()
            server.stop()
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True, reset_sequences=False)
            creation.deserialize_db_from_string(before)
    return audit


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_wcag_violations(audit, name):
    if name not in audit.found:
        pytest.fail(f"the walk did not reach {name}: it stopped {audit.stopped}")
    violations = audit.found[name]
    assert not violations, report(name, violations, audit.found[name + " url"])


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone_screen_without_scrolling_sideways(audit, name):
    if name not in audit.widths:
        pytest.fail(f"the walk did not reach {name}: it stopped {audit.stopped}")
    drawn, screen = audit.widths[name]
    assert drawn <= screen, f"{name} is {drawn} px wide on a {screen} px screen ({audit.found[name + ' url']})"


# --- The walk ---------------------------------------------------------------------------------------------


def walk(browser, audit: Audit) -> None:
    base = audit.url
    variants = parent_with_variants(title="Linen scarf", variants=[("24.95", 5), ("26.95", 0)])
    voucher(VOUCHER, "10")

    with fresh_page(browser, audit) as page:
        browse_as_a_visitor(page, audit, base, variants)
    with fresh_page(browser, audit) as page:
        sign_in_pages(page, audit, base)
    with fresh_page(browser, audit) as page:
        two_factor_pages(page, audit, base)
    with fresh_page(browser, audit) as page:
        guest_checkout(page, audit, base)
    with fresh_page(browser, audit) as page:
        signed_in_checkout_and_account(page, audit, base)


class fresh_page:
    """A new browser context (its own cookies) and tab."""

    def __init__(self, browser, audit):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.audit = audit

    def __enter__(self):
        page = self.audit.page = self.context.new_page()
        page.set_default_timeout(15_000)
        expect.set_options(timeout=15_000)
        return page

    def __exit__(self, kind, *exc):
        if kind is None:  # else the fixture takes a screenshot first
            self.context.close()


def browse_as_a_visitor(page, audit, base, variants):
    page.goto(base + "/")
    audit.check(page, "home")
    books = Category.objects.get(name="Books", depth=1)
    page.goto(base + books.cms_page.url)
    expect(page.locator("#facets")).to_be_visible()
    audit.check(page, "category")
    product = Product.objects.get(upc="DEMO-000001")
    page.goto(base + product.get_absolute_url())
    audit.check(page, "product")
    page.goto(base + variants.get_absolute_url())
    audit.check(page, "product-with-variants")
    word = Product.objects.get(upc="DEMO-000002").title.split()[1]
    page.goto(f"{base}/shop/search/?q={word}")
    audit.check(page, "search-results")

    page.goto(base + "/no-such-page/")
    audit.check(page, "404")
    for letter in "abc":  # SHOP_SEARCH_RATE is 2 a minute here; each a new URL (the answers are cacheable)
        response = page.goto(base + f"/shop/search/autocomplete/?q=lamp{letter}")
    assert response.status == 429, response.status
    audit.check(page, "429")
    with override_settings(ROOT_URLCONF="tests.e2e.failing_urls"):
        response = page.goto(base + "/fail/")
    assert response.status == 500, response.status
    audit.check(page, "500")


def sign_in_pages(page, audit, base):
    page.goto(base + "/accounts/login/")
    audit.check(page, "login")
    page.get_by_label("Email").fill("shopper@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("not correct", exact=False)).to_be_visible()
    audit.check(page, "login-with-errors")

    page.goto(base + "/accounts/signup/")
    audit.check(page, "signup")
    page.get_by_label("Email").fill("shopper@example.com")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_load_state("load")
    audit.check(page, "signup-with-errors")
    page.get_by_label("Email").fill("new.shopper@example.com")
    page.get_by_label("Password", exact=True).fill("a long and new passphrase 2026")
    password_again = page.get_by_label("Password (again)")
    if password_again.count():
        password_again.fill("a long and new passphrase 2026")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    audit.check(page, "email-verification-sent")

    page.context.clear_cookies()
    page.goto(base + "/accounts/password/reset/")
    audit.check(page, "password-reset")
    page.get_by_label("Email").fill("shopper@example.com")
    page.get_by_role("button", name="Reset My Password").click()
    page.wait_for_url("**/accounts/password/reset/done/")
    audit.check(page, "password-reset-done")
    page.goto(base + link_in_latest_email_to("shopper@example.com", "/accounts/password/reset/key/"))
    expect(page.get_by_label("New Password", exact=True)).to_be_visible()  # the key is swapped for a form
    audit.check(page, "password-reset-from-key")
    page.goto(base + link_in_latest_email_to("new.shopper@example.com", "/accounts/confirm-email/"))
    expect(page.get_by_role("button", name="Confirm")).to_be_visible()
    audit.check(page, "email-confirm")

    page.goto(base + "/shop/order-lookup/")
    audit.check(page, "order-lookup")
    page.locator("#order-lookup-form button[type=submit]").click()
    page.wait_for_load_state("load")
    audit.check(page, "order-lookup-with-errors")


def link_in_latest_email_to(address: str, path: str) -> str:
    """The path of the link to `path…` in the newest email to `address` (the walk sends to Django's locmem outbox)."""
    body = next(message.body for message in reversed(mail.outbox) if message.to == [address])
    return re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", body).group(1)


def two_factor_pages(page, audit, base):
    """A shopper turns on an authenticator app (password asked again, the QR code, the recovery codes) and
    signs in with its code."""
    user_with_login(CAREFUL_EMAIL, totp=False)
    steps.sign_in(page, base, CAREFUL_EMAIL)
    page.goto(base + "/accounts/2fa/totp/activate/")
    page.wait_for_url("**/accounts/reauthenticate/**")
    audit.check(page, "reauthenticate")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    audit.check(page, "two-factor-activate")
    with a_fresh_totp_period():
        page.get_by_label("Authenticator code").fill(totp_code(secret))
        page.get_by_role("button", name="Activate").click()
        expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    audit.check(page, "two-factor-recovery-codes")

    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(CAREFUL_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    audit.check(page, "two-factor-login")


def guest_checkout(page, audit, base):
    title = steps.add_a_product_to_the_basket(page, base)
    page.locator(".alert").get_by_role("link", name="View cart").click()
    expect(page.get_by_text(title, exact=True)).to_be_visible()
    if page.locator("#voucher_form_link a").is_visible():
        page.locator("#voucher_form_link a").click()
    page.locator("#id_code").fill(VOUCHER)
    page.locator("#id_code").press("Enter")
    expect(page.get_by_text(f"'{VOUCHER}' added to")).to_be_visible()  # "Coupon … added to cart" in English
    audit.check(page, "basket-with-voucher")

    page.get_by_role("link", name="Proceed to checkout").click()
    expect(page.get_by_role("heading", name="Who are you?")).to_be_visible()
    audit.check(page, "checkout-who-are-you")
    steps.checkout_as_guest(page, GUEST_EMAIL)
    page.evaluate("document.querySelectorAll('form').forEach(form => form.noValidate = true)")  # the server's errors
    page.get_by_role("button", name="Continue").click()  # nothing filled in
    expect(page.locator(".is-invalid, .has-error, .invalid-feedback").first).to_be_visible()
    audit.check(page, "checkout-shipping-address-with-errors")
    steps.deliver_to_amsterdam(page)
    expect(page.get_by_role("heading", name="Shipping method")).to_be_visible()
    audit.check(page, "checkout-shipping-method")
    page.get_by_role("button", name="Select option").first.click()
    expect(page.get_by_role("heading", name="How would you like to pay?")).to_be_visible()
    audit.check(page, "checkout-payment-method")
    page.locator("#payment_method_form").get_by_label("Card", exact=True).check()
    page.get_by_role("button", name="Continue to preview").click()
    expect(page.locator("#chosen-payment-method")).to_have_text("Card")
    audit.check(page, "checkout-preview")
    page.get_by_label("I accept the terms and conditions").check()
    page.get_by_role("button", name="Place order and pay").click()
    expect(page.get_by_role("heading", name=steps.MOLLIE_PAGE)).to_be_visible()

    # Back from Mollie before paying: the shop waits for the payment.
    order = Order.objects.get(guest_email=GUEST_EMAIL)
    page.goto(base + payment_return_path(order))
    expect(page.get_by_role("heading", name="We are waiting for your payment")).to_be_visible()
    audit.check(page, "payment-waiting")
    page.goto(Payment.objects.get(order=order).checkout_url)
    steps.pay_at_mollie(page, "Failed", method="Card")
    expect(page.get_by_role("heading", name="Your payment did not go through")).to_be_visible()
    audit.check(page, "payment-failed")
    retry = page.locator("#pay-again-form")
    retry.get_by_label("Bank transfer", exact=True).check()
    retry.get_by_role("button", name="Pay now").click()
    steps.pay_at_mollie(page, "Awaiting transfer (stay open)", method="Bank transfer")
    expect(page.locator("#transfer-details")).to_be_visible()
    audit.check(page, "payment-transfer-details")

    page.context.clear_cookies()
    page.goto(base + "/shop/order-lookup/")
    page.get_by_label("Order number").fill(order.number)
    page.get_by_label("Email").fill(GUEST_EMAIL)
    page.locator("#order-lookup-form button[type=submit]").click()
    expect(page.get_by_role("heading", name=f"Order #{order.number}")).to_be_visible()
    audit.check(page, "guest-order-found")


def signed_in_checkout_and_account(page, audit, base):
    steps.sign_in(page, base, "shopper@example.com")
    title = steps.add_a_product_to_the_basket(page, base)
    page.locator(".alert").get_by_role("link", name="View cart").click()
    expect(page.get_by_text(title, exact=True)).to_be_visible()
    audit.check(page, "signed-in-basket")
    page.get_by_role("link", name="Proceed to checkout").click()
    expect(page.get_by_role("heading", name="Shipping address")).to_be_visible()
    audit.check(page, "signed-in-shipping-address")
    steps.deliver_to_amsterdam(page)
    expect(page.get_by_role("heading", name="Shipping method")).to_be_visible()
    audit.check(page, "signed-in-shipping-method")
    page.get_by_role("button", name="Select option").first.click()
    expect(page.get_by_role("heading", name="How would you like to pay?")).to_be_visible()
    audit.check(page, "signed-in-payment-method")
    page.locator("#payment_method_form").get_by_label("iDEAL", exact=True).check()
    page.get_by_role("button", name="Continue to preview").click()
    expect(page.locator("#chosen-payment-method")).to_have_text("iDEAL")
    audit.check(page, "signed-in-preview")
    steps.accept_the_terms_and_place_the_order(page, "iDEAL")
    steps.pay_at_mollie(page, "Paid", method="iDEAL")
    number = steps.confirmed_order_number(page)
    audit.check(page, "thank-you")

    for name, path in [
        ("account-profile", "/shop/accounts/profile/"),
        ("account-order-history", "/shop/accounts/orders/"),
        ("account-order-detail", f"/shop/accounts/orders/{number}/"),
        ("account-address-book", "/shop/accounts/addresses/"),
        ("account-address-form", "/shop/accounts/addresses/add/"),
        ("account-email", "/accounts/email/"),
        ("account-password-change", "/accounts/password/change/"),
        ("account-two-factor", "/accounts/2fa/"),
        ("account-sessions", "/accounts/sessions/"),
        ("account-my-data", "/accounts/my-data/"),
        ("logout", "/accounts/logout/"),
    ]:
        response = page.goto(base + path)
        assert response.status == 200, (path, response.status)
        audit.check(page, name)
    assert Decimal(Order.objects.get(number=number).total_incl_tax) > 0
