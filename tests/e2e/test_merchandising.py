"""A merchandiser dresses a category page in Wagtail's editor, previews it, publishes it, then schedules the next
change; the storefront follows each step at once (and the scheduled one at its time), in headless Chromium."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from cms.models import CategoryPage
from tests.e2e.steps import sign_in
from tests.support.users import TOTP_SECRET, with_totp

Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_the_editor(page, base_url: str, category_page) -> None:
    page.goto(f"{base_url}/cms/pages/{category_page.pk}/edit/")


def choose(page, heading: str):
    """Wagtail's chooser modal, once its list has come from the server (slow when the machine is busy)."""
    from playwright.sync_api import expect

    modal = page.locator(".modal", has=page.get_by_role("heading", name=heading))
    expect(modal.get_by_label("Search term")).to_be_visible(timeout=45_000)
    return modal


def publish(page) -> None:
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()


def test_a_merchandiser_previews_publishes_and_schedules_a_category_pages_hero_and_picks(
    page, browser, live_demo_shop, screenshot_on_failure
):
    from playwright.sync_api import expect

    base_url = live_demo_shop.url
    with_totp(get_user_model().objects.get(email="merchandiser@example.com"))  # the demo's Wagtail editor
    books = CategoryPage.objects.get(title="Books")
    pick = Product.objects.browsable().filter(title__contains="Headphones").order_by("title").first()
    shopper = browser.new_context().new_page()
    shopper.goto(f"{base_url}/books/")
    expect(shopper.locator("h1")).to_have_text("Books")
    hero = shopper.locator("img[src*='fill-1140x280']")  # the hero's rendition
    expect(hero).to_have_count(0)

    sign_in(page, base_url, "merchandiser@example.com", totp_secret=TOTP_SECRET)
    open_the_editor(page, base_url, books)
    page.get_by_role("button", name="Choose an image").first.click()
    choose(page, "Choose an image").get_by_role("link", name="Demo hero").click()
    body = page.locator("#panel-child-content-body-content")
    body.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Products", exact=True).click()
    body.get_by_label("Title").first.fill("Editors' picks")
    body.get_by_role("button", name="Choose a product").click()
    products = choose(page, "Choose a product")
    products.get_by_label("Search term").fill(pick.upc)
    products.get_by_role("link", name=pick.title).click()

    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("iframe").first
    expect(preview.get_by_role("heading", name="Editors' picks")).to_be_visible()
    expect(preview.locator(".product-list-block")).to_contain_text(pick.title)
    shopper.reload()
    expect(shopper.get_by_role("heading", name="Editors' picks")).to_have_count(0)  # a preview is not published

    publish(page)
    expect(page.get_by_text("has been published")).to_be_visible()
    shopper.reload()
    expect(shopper.get_by_role("heading", name="Editors' picks")).to_be_visible()
    expect(shopper.locator(".product-list-block")).to_contain_text(pick.title)
    expect(hero).to_have_count(1)

    # The next change goes live tomorrow morning.
    go_live = (timezone.localtime() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    open_the_editor(page, base_url, books)
    page.locator("#panel-child-content-body-content").get_by_label("Title").first.fill("Autumn picks")
    page.get_by_role("button", name="Toggle status").click()
    page.get_by_role("button", name="Set schedule").click()
    page.get_by_label("Go live date/time").fill(go_live.strftime("%Y-%m-%d %H:%M"))
    # The date picker stays open over the button; a person would close it first, the click goes to the button.
    page.get_by_role("button", name="Save schedule").dispatch_event("click")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Schedule to publish").click()
    expect(page.get_by_text("has been scheduled for publishing")).to_be_visible()
    shopper.reload()
    expect(shopper.get_by_role("heading", name="Editors' picks")).to_be_visible()

    at_nine = go_live + timedelta(minutes=1)
    original_now = timezone.now
    timezone.now = lambda: at_nine  # Wagtail's publish_scheduled reads the clock through django.utils.timezone
    try:
        call_command("publish_scheduled")
    finally:
        timezone.now = original_now
    shopper.reload()
    expect(shopper.get_by_role("heading", name="Autumn picks")).to_be_visible()
    expect(shopper.get_by_role("heading", name="Editors' picks")).to_have_count(0)
    shopper.context.close()
