"""A shopper who uses only the keyboard buys a product, in headless Chromium: Tab to move, Enter and Space to act,
and typing into fields; never the mouse. On every stop of the shop's pages the focused element is visibly marked,
and the skip link is the first stop and lands in the page's main content."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import MOLLIE_PAGE, confirmed_order_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MAX_TABS = 200

# The focused element, and whether it shows a focus ring (an outline or a box shadow) the eye can see.
FOCUS = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    const label = element.labels && element.labels.length ? element.labels[0].innerText : "";
    return {
        tag: element.tagName.toLowerCase(),
        type: element.type || "",
        id: element.id,
        name: (element.getAttribute("aria-label") || element.innerText || element.value || label || "").trim(),
        label: label.trim(),
        visible: outline || shadow,
    };
}"""


def tab_to(page, matches, *, what: str, check_focus: bool = True) -> dict:
    """Press Tab until the focused element matches; every element passed on the way must show its focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if focused is None:
            continue
        if check_focus:
            assert focused["visible"], f"no visible focus on {focused} ({page.url}) on the way to {what}"
        if matches(focused):
            return focused
    raise AssertionError(f"{what} was not reached with {MAX_TABS} presses of Tab on {page.url}")


def named(text: str):
    pattern = re.compile(text, re.I)
    return lambda focused: bool(pattern.search(focused["name"]))


def field(label: str):
    pattern = re.compile(label, re.I)
    return lambda focused: focused["tag"] in ("input", "select", "textarea") and bool(pattern.search(focused["label"]))


def type_into(page, label: str, text: str) -> None:
    tab_to(page, field(label), what=f"the field {label!r}")
    page.keyboard.press("Control+a")
    page.keyboard.type(text)


def test_a_keyboard_only_shopper_buys_a_product_from_home_to_the_thank_you_page(page, live_demo_shop, mollie):
    base = live_demo_shop.url
    page.goto(base + "/")

    # The skip link is the first stop, shows itself, and takes the focus to the main content.
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS)
    assert first["name"] == "Skip to main content", first
    assert first["visible"], first
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # From the main content, the first product in stock (a featured one on the home page); Enter opens it.
    card = page.locator("article.product_pod").filter(has_text="In stock").first
    href = card.locator("h3 a").get_attribute("href")
    tab_to(page, lambda f: page.evaluate("document.activeElement.getAttribute('href')") == href, what="a product")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_be_visible()
    title = page.locator("h1").inner_text()

    tab_to(page, named("^Add to cart$"), what="Add to cart")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"{title} has been added to your cart")).to_be_visible()

    tab_to(page, named("^View cart$"), what="the message's View cart link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Proceed to checkout")).to_be_visible()
    tab_to(page, named("^Proceed to checkout$"), what="Proceed to checkout")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Who are you?")).to_be_visible()
    type_into(page, "My email address is", "keys.only@example.com")
    tab_to(page, field("checkout as a guest"), what="the guest option")
    page.keyboard.press("Space")
    tab_to(page, named("^Continue$"), what="Continue")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Shipping address")).to_be_visible()
    for label, text in [
        ("^First name", "Kees"),
        ("^Last name", "Toetsenbord"),
        # The shop's own country is chosen already, with its fields: postcode and house number first.
        ("^Postcode", "1012 LG"),
        ("^House number", "1"),
        ("^Street", "Damrak"),
        ("^City", "Amsterdam"),
    ]:
        type_into(page, label, text)
    country = page.get_by_label("Country")
    if country.evaluate("select => select.value") != "NL":
        tab_to(page, field("^Country"), what="the country")
        page.keyboard.type("Netherlands")
    tab_to(page, named("^Continue$"), what="Continue")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Shipping method")).to_be_visible()
    tab_to(page, named("^Select option$"), what="the first delivery method")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="How would you like to pay?")).to_be_visible()
    chosen = tab_to(page, lambda f: f["type"] == "radio", what="the payment methods")
    page.keyboard.press("Space")
    method = chosen["label"]
    tab_to(page, named("^Continue to preview$"), what="Continue to preview")
    page.keyboard.press("Enter")

    expect(page.locator("#chosen-payment-method")).to_have_text(method)
    tab_to(page, field("I accept the terms and conditions"), what="the terms")
    page.keyboard.press("Space")
    tab_to(page, named("^Place order and pay$"), what="Place order and pay")
    page.keyboard.press("Enter")

    # Mollie's page (the simulator, not the shop's): the keyboard still, without judging its focus style.
    expect(page.get_by_role("heading", name=MOLLIE_PAGE)).to_be_visible()
    if page.locator("input[type=radio]").count():  # Mollie asks for the method when none was chosen
        tab_to(page, lambda f: f["type"] == "radio", what="a method at Mollie", check_focus=False)
        page.keyboard.press("Space")
    tab_to(page, named("^(Paid|Authorized)$"), what="Paid at Mollie", check_focus=False)
    page.keyboard.press("Enter")

    number = confirmed_order_number(page)
    assert number
