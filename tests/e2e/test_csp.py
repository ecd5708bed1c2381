"""The Content-Security-Policy breaks nothing, in headless Chromium: a guest's whole purchase (home, search with
its suggestions, a product, twice so the second comes from the page cache, basket, checkout, Mollie's hosted page
and back), then staff in the dashboard and an editor in Wagtail. Every `securitypolicyviolation` event and every
console report of one is collected in each page and frame; the test asserts there were none, and that each page
really carried the policy it was meant to."""

import re

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from playwright.sync_api import expect

from cms.models import HomePage
from tests.e2e.steps import (
    accept_the_terms_and_place_the_order,
    checkout_as_guest,
    choose_payment_method,
    choose_the_first_delivery_method,
    confirmed_order_number,
    deliver_to_amsterdam,
    go_to_checkout,
    pay_at_mollie,
    sign_in,
)
from tests.support.users import TOTP_SECRET, with_totp

Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Runs in every document and frame before the page's own scripts; reports through the binding below.
LISTEN_FOR_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.disposition} ${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `on ${document.location.href} (${event.sourceFile}:${event.lineNumber}) ${event.sample}`
  );
});
"""


class PolicyWatch:
    """Violations and the policy of every page the browser context loads."""

    def __init__(self, context, base_url: str):
        self.violations: list[str] = []
        self.policies: dict[str, str] = {}  # path → Content-Security-Policy of each page of the shop shown
        self._base_url = base_url
        context.expose_binding("reportCspViolation", lambda source, text: self.violations.append(text))
        context.add_init_script(LISTEN_FOR_VIOLATIONS)
        context.on("console", self._console)
        context.on("response", self._response)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def _response(self, response) -> None:
        shown = response.request.resource_type == "document" and response.status == 200  # not a redirect
        if shown and response.url.startswith(self._base_url):
            path = response.url[len(self._base_url) :].split("?")[0]
            self.policies[path] = response.headers.get("content-security-policy", "")


def watched(browser, base_url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watch = PolicyWatch(context, base_url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page, watch


def settle(page) -> None:
    """Let the page's own requests (the visitor endpoint, suggestions) finish, so late violations are seen."""
    try:
        page.wait_for_load_state("networkidle", timeout=5_000)
    except Exception:  # a page that keeps polling: what it did so far is what is checked
        pass


def storefront_policy(policy: str) -> bool:
    return (
        "'nonce-" in policy
        and "frame-ancestors 'none'" in policy
        and "'unsafe-inline'" not in _directive(policy, "script-src")
    )


def _directive(policy: str, name: str) -> str:
    for part in policy.split(";"):
        if part.strip().startswith(name + " "):
            return part.strip()
    return ""


@pytest.fixture
def shop(live_demo_shop, mollie, smtp_server, task_worker):
    return live_demo_shop


def test_a_guest_buys_with_the_storefront_policy_and_nothing_is_blocked(browser, shop, mollie):
    base_url = shop.url
    context, page, watch = watched(browser, base_url)
    try:
        page.goto(base_url + "/")
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        settle(page)

        # The search box's suggestions (fetch to the shop: connect-src), then the results page.
        product = Product.objects.browsable().filter(stockrecords__num_in_stock__gt=0).order_by("pk").first()
        word = next(w for w in product.title.split() if w.isalpha() and len(w) > 3)
        box = page.locator("input[data-suggest-url]")
        box.press_sequentially(word[:4], delay=200)
        expect(page.locator("#search-suggestions a").first).to_be_visible()
        box.press("Enter")
        page.wait_for_url(re.compile(r"/shop/search/\?q="))
        settle(page)

        # The product page twice: rendered, then served from the page cache with a fresh nonce.
        page.goto(base_url + product.get_absolute_url())
        expect(page.locator("h1")).to_have_text(product.get_title())
        settle(page)
        first_policy = watch.policies[product.get_absolute_url()]
        with page.expect_response(lambda response: response.url.endswith(product.get_absolute_url())) as second:
            page.reload()
        assert second.value.headers.get("x-page-cache") == "hit"
        assert watch.policies[product.get_absolute_url()] != first_policy  # a nonce per answer
        settle(page)

        page.get_by_role("button", name="Add to cart").click()
        expect(page.get_by_text(f"{product.get_title()} has been added to your cart")).to_be_visible()
        go_to_checkout(page, product.get_title())
        checkout_as_guest(page, "csp.guest@example.com")
        deliver_to_amsterdam(page)
        choose_the_first_delivery_method(page)
        choose_payment_method(page, "Card")
        # The POST that redirects to Mollie's hosted page (Chrome holds that redirect to form-action).
        accept_the_terms_and_place_the_order(page, "Card")
        pay_at_mollie(page, "Paid", method="Card")
        confirmed_order_number(page)
        settle(page)
    finally:
        context.close()

    assert watch.violations == [], "\n".join(watch.violations)
    visited = {path for path in watch.policies if not path.startswith("/shop/visitor/")}
    for path in ("/", "/shop/search/", product.get_absolute_url(), "/shop/basket/", "/shop/checkout/preview/"):
        assert path in visited, sorted(visited)
    unprotected = {path: policy for path, policy in watch.policies.items() if not storefront_policy(policy)}
    assert unprotected == {}
    assert mollie.url in _directive(watch.policies["/shop/checkout/preview/"], "form-action")


def test_staff_and_editors_work_under_their_own_policy_and_nothing_is_blocked(browser, live_demo_shop):
    base_url = live_demo_shop.url
    for email in ("staff@example.com", "merchandiser@example.com"):
        with_totp(get_user_model().objects.get(email=email))
    home = HomePage.objects.get()

    context, page, watch = watched(browser, base_url)
    try:
        sign_in(page, base_url, "staff@example.com", totp_secret=TOTP_SECRET)
        for path in ("/shop/dashboard/", "/shop/dashboard/orders/", "/shop/dashboard/catalogue/"):
            page.goto(base_url + path)
            expect(page.locator("h1").first).to_be_visible()
            settle(page)
    finally:
        context.close()

    context, page, editor_watch = watched(browser, base_url)
    try:
        sign_in(page, base_url, "merchandiser@example.com", totp_secret=TOTP_SECRET)
        page.goto(f"{base_url}/cms/")
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        page.goto(f"{base_url}/cms/pages/{home.pk}/edit/")
        page.get_by_role("button", name="Toggle preview").click()
        expect(page.frame_locator("iframe").first.locator("body")).to_be_visible()
        settle(page)
    finally:
        context.close()

    assert watch.violations + editor_watch.violations == [], "\n".join(watch.violations + editor_watch.violations)
    staff_pages = {**watch.policies, **editor_watch.policies}
    for path in ("/shop/dashboard/", "/cms/", f"/cms/pages/{home.pk}/edit/"):
        policy = staff_pages[path]
        assert "frame-ancestors 'self'" in policy and "'unsafe-inline'" in _directive(policy, "script-src"), path
