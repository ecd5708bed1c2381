"""A shopper's first visit, in headless Chromium: home → category → product → search."""

import re

import pytest
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_browse_from_home_to_a_product_and_find_it_by_search(page, live_demo_shop):
    from playwright.sync_api import expect

    page.goto(live_demo_shop.url + "/")
    expect(page.get_by_role("heading", name="Good things, delivered tomorrow")).to_be_visible()

    page.get_by_role("button", name="Browse store").click()
    page.get_by_role("link", name="Books", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("Books")
    cards = page.locator("article.product_pod")
    expect(cards.first).to_be_visible()
    expect(cards.first.locator(".price_color")).to_contain_text("€")

    title = cards.first.locator("h3 a").get_attribute("title")
    cards.first.locator("h3 a").click()
    expect(page.locator("h1")).to_have_text(title)
    specifications = page.locator("#product_specifications")
    expect(specifications.get_by_role("heading", name="Specifications")).to_be_visible()
    expect(specifications.locator("table")).to_contain_text("Author")
    assert page.locator("#product_gallery img, .product_main img, img").count() >= 2

    word = title.split()[1]
    page.get_by_placeholder("Search").fill(word)
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/shop/search/\?q="))
    expect(page.get_by_role("link", name=re.compile(re.escape(title[:15])))).not_to_have_count(0)


@pytest.fixture
def live_shop_of_40_products(transactional_db, live_server, settings):
    from django.core.management import call_command

    settings.SHOP_BASE_URL = live_server.url
    call_command("load_demo_shop", products=40, verbosity=0)
    return live_server


def test_the_search_box_suggests_products_while_typing_and_a_typo_still_finds(page, live_shop_of_40_products):
    from playwright.sync_api import expect

    products = Product.objects.filter(is_public=True, parent__isnull=True).order_by("pk")
    product = next(p for p in products if any(w.isalpha() and len(w) >= 6 for w in p.title.split()))
    word = product.title.split()[0]

    page.goto(live_shop_of_40_products.url + "/")
    page.get_by_placeholder("Search").press_sequentially(word[:4].lower(), delay=60)
    suggestions = page.locator("#search-suggestions .dropdown-item")
    expect(suggestions.first).to_be_visible()
    expect(suggestions.filter(has_text=re.compile(re.escape(word[:4]), re.I)).first).to_be_visible()
    suggestions.first.click()
    expect(page).to_have_url(re.compile(r"/shop/catalogue/"))

    long_word = max((w for w in product.title.split() if w.isalpha()), key=len)
    typo = long_word[:3] + ("x" if long_word[3].lower() != "x" else "y") + long_word[4:]  # one wrong letter
    page.get_by_placeholder("Search").fill(typo)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=re.compile(re.escape(product.title[:15])))).not_to_have_count(0)
    did_you_mean = page.locator("#did-you-mean a")  # the typed phrase corrected, as a link
    expect(did_you_mean).to_have_text(long_word)
    did_you_mean.click()
    expect(page).to_have_url(re.compile(rf"/shop/search/\?q={long_word}$"))


def test_a_shopper_filters_a_category_by_brand_and_price_and_sorts_by_price(page, live_shop_of_40_products):
    from playwright.sync_api import expect

    from shop.search.price_bands import price_band

    page.goto(live_shop_of_40_products.url + "/electronics/")
    facets = page.locator("#facets")

    def choose(group: str) -> tuple[str, int]:
        """Click the group's first value that shows a count; give back its name and that count."""
        value = facets.locator("dl", has=page.locator("dt", has_text=group)).locator("dd", has=page.locator("a"))
        name, count = re.fullmatch(r"(.+?) \((\d+)\)", " ".join(value.first.inner_text().split())).groups()
        value.first.get_by_role("link").click()
        expect(page.locator("form strong").first).to_have_text(count)  # "<strong>N</strong> results"
        return name, int(count)

    brand, _ = choose("Brand")
    band, count = choose("Price")
    page.wait_for_load_state("load")  # Oscar's script sends the sort form on change, once the page has loaded
    page.get_by_label("Sort by").select_option("price-asc")
    expect(page).to_have_url(re.compile(r"sort_by=price-asc"))
    assert "selected_facets=attribute" in page.url and "selected_facets=price_band" in page.url, "shareable"

    prices = [
        float(p.replace("€", "").replace(",", "")) for p in page.locator(".product_pod .price_color").all_inner_texts()
    ]
    assert len(prices) == count and prices == sorted(prices)
    electronics = Product.objects.browsable().filter(
        categories__path__startswith=get_model("catalogue", "Category").objects.get(name="Electronics").path,
        attribute_values__attribute__code="brand",
        attribute_values__value_text=brand,
    )
    in_band = [p for p in electronics.distinct() if price_band(p.stockrecords.first().price) == band]
    assert count == len(in_band), "the page's count is the database's"
