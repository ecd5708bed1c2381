"""The checkout's address form in headless Chromium: the shop's country chosen with its fields, and a change of
country that swaps the fields in place (address-form.js, under the storefront's Content-Security-Policy), keeps
what was typed and the shopper's place, and then takes the other country's address."""

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import add_a_product_to_the_basket, checkout_as_guest, go_to_checkout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_changing_the_country_swaps_the_fields_in_place_and_keeps_what_was_typed(
    page, live_demo_shop, screenshot_on_failure
):
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else 0)
    title = add_a_product_to_the_basket(page, live_demo_shop.url)
    go_to_checkout(page, title)
    checkout_as_guest(page, "address.guest@example.com")

    country = page.get_by_label("Country")
    expect(country).to_have_value("NL")
    expect(page.get_by_role("button", name="Update the form for this country")).to_be_hidden()  # JavaScript runs
    page.get_by_label("First name").fill("Luc")
    page.get_by_label("Last name").fill("Peeters")
    page.get_by_label("Postcode").fill("1000")
    page.get_by_label("House number", exact=True).fill("12")
    page.get_by_label("Street").fill("Rue Neuve")

    country.focus()  # as a shopper's click or Tab does; select_option alone changes the value only
    country.select_option("BE")

    expect(page.get_by_label("Street and house number")).to_have_value("Rue Neuve 12")
    expect(page.get_by_label("House number", exact=True)).to_have_count(0)
    expect(page.get_by_label("Postcode")).to_have_value("1000")
    expect(page.get_by_label("First name")).to_have_value("Luc")
    expect(page.locator("[data-address-status]")).to_have_text("The address fields are now those of Belgium.")
    expect(country).to_be_focused()
    expect(page.locator("#address-error-summary")).to_have_count(0)

    page.get_by_label("City").fill("Bruxelles")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Shipping method")).to_be_visible()
    assert blocked == []
