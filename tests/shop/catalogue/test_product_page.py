"""The product page: a specifications table, schema.org data, share tags and the category path."""

import pytest
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from tests.support.catalogue import (
    json_ld,
    meta,
    page_of,
    parent_with_variants,
    product_with_specs,
    specifications,
)

pytestmark = pytest.mark.django_db

AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
AttributeOption = get_model("catalogue", "AttributeOption")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")
Partner = get_model("partner", "Partner")

BASE = "https://shop.example"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.SHOP_BASE_URL = BASE


@pytest.fixture
def lamp():
    colours = AttributeOptionGroup.objects.create(name="Colours")
    sand = AttributeOption.objects.create(group=colours, option="Sand")
    product = product_with_specs(
        title="Reading lamp",
        price="24.95",
        images=2,
        upc="8712345678906",
        specs={
            ("brand", "Brand", "text"): "Polder",
            ("power", "Power (W)", "integer"): 45,
            ("weight", "Weight (kg)", "float"): 1.5,
            ("warranty", "Warranty (years)", "integer"): 2,
            ("dimmable", "Dimmable", "boolean"): True,
            ("cordless", "Cordless", "boolean"): False,
            ("colour", "Colour", "option"): sand,
            ("notes", "Notes", "richtext"): "<p>Soft <b>linen</b> shade &amp; brass foot</p>",
            ("finish", "Finish", "text"): None,
            ("care", "Care", "richtext"): None,
        },
    )
    product.description = "<p>Warm &amp; bright.</p><p>A lamp for <em>long</em> evenings.</p>"
    product.save()
    # Values that exist but say nothing: blank text, empty rich text.
    attributes = {attribute.code: attribute for attribute in product.product_class.attributes.all()}
    ProductAttributeValue.objects.create(product=product, attribute=attributes["finish"], value_text="  ")
    ProductAttributeValue.objects.create(product=product, attribute=attributes["care"], value_richtext="<p></p>")
    return product


def test_specifications_table_lists_attribute_values_as_text_in_the_class_order(client, lamp):
    page = page_of(client.get(lamp.get_absolute_url()))

    assert page.find(id="specifications_heading").get_text(strip=True) == "Specifications"
    assert specifications(page) == [
        ("Brand", "Polder"),
        ("Power", "45 W"),
        ("Weight", "1.5 kg"),
        ("Warranty (years)", "2"),
        ("Dimmable", "Yes"),
        ("Cordless", "No"),
        ("Colour", "Sand"),
        ("Notes", "Soft linen shade & brass foot"),
    ]


def test_price_and_availability_stay_in_the_buy_box_and_the_code_is_a_line_of_its_own(client, lamp):
    page = page_of(client.get(lamp.get_absolute_url()))

    table = page.find(id="product_specifications").get_text(" ", strip=True)
    assert "€" not in table and "stock" not in table.lower() and "tax" not in table.lower()
    assert "Product Information" not in page.get_text()
    buy_box = page.select_one(".product_main")
    assert "€24.95" in buy_box.select_one(".price_color").get_text()
    assert "In stock" in buy_box.select_one(".availability").get_text()
    assert page.select_one(".product-code").get_text(" ", strip=True) == "Product code: 8712345678906"
    assert "8712345678906" not in table


def test_a_variant_shows_its_parents_specifications_with_its_own_winning(client):
    parent = parent_with_variants(
        title="Scarf",
        variants=[("18.50", 3)],
        specs={("fabric", "Fabric", "text"): "Wool", ("colour", "Colour", "text"): "Any"},
    )
    child = parent.children.get()
    child.attr.colour = "Red"
    child.attr.save()

    page = page_of(client.get(child.get_absolute_url()))

    assert specifications(page) == [("Fabric", "Wool"), ("Colour", "Red")]


def test_a_product_without_attribute_values_has_no_specifications_section(client):
    plain = product_with_specs(title="Gift card", specs={("note", "Note", "text"): None})

    page = page_of(client.get(plain.get_absolute_url()))

    assert page.find(id="product_specifications") is None
    assert page.find(string="Specifications") is None


def test_json_ld_describes_an_in_stock_product_with_its_shelf_price(client, lamp):
    page = page_of(client.get(lamp.get_absolute_url()))

    data = json_ld(page)
    url = BASE + lamp.get_absolute_url()
    images = [BASE + image.original.url for image in lamp.images.order_by("display_order")]
    assert data == {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Reading lamp",
        "url": url,
        "description": "Warm & bright. A lamp for long evenings.",
        "sku": "8712345678906",
        "gtin": "8712345678906",
        "image": images,
        "brand": {"@type": "Brand", "name": "Polder"},
        "offers": {
            "@type": "Offer",
            "price": "24.95",
            "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock",
            "itemCondition": "https://schema.org/NewCondition",
            "url": url,
        },
    }
    assert all(image.startswith(BASE + "/media/") for image in images)


def test_json_ld_says_out_of_stock_and_a_code_that_is_no_gtin_is_only_a_sku(client):
    sold_out = product_with_specs(title="Sold-out vase", specs={}, price="39.00", stock=0, upc="VASE-01")

    data = json_ld(page_of(client.get(sold_out.get_absolute_url())))

    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert data["offers"]["price"] == "39.00"
    assert data["sku"] == "VASE-01" and "gtin" not in data
    assert "brand" not in data


def test_json_ld_of_a_parent_aggregates_its_priced_public_variants(client):
    parent = parent_with_variants(title="Scarf", variants=[("18.50", 0), ("22.00", 4), (None, 9)])
    hidden = parent.children.create(title="Scarf, hidden", structure="child", is_public=False)
    hidden.stockrecords.create(partner=Partner.objects.get(), partner_sku="HIDDEN", price=1, num_in_stock=5)

    data = json_ld(page_of(client.get(parent.get_absolute_url())))

    assert data["offers"] == {
        "@type": "AggregateOffer",
        "lowPrice": "18.50",
        "highPrice": "22.00",
        "offerCount": 2,
        "priceCurrency": "EUR",
        "availability": "https://schema.org/InStock",
        "itemCondition": "https://schema.org/NewCondition",
        "url": BASE + parent.get_absolute_url(),
    }


def test_a_parent_whose_variants_are_all_sold_out_is_out_of_stock(client):
    parent = parent_with_variants(title="Cap", variants=[("12.00", 0), ("14.00", 0)])

    data = json_ld(page_of(client.get(parent.get_absolute_url())))

    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert (data["offers"]["lowPrice"], data["offers"]["highPrice"]) == ("12.00", "14.00")


def test_a_title_with_a_closing_script_tag_stays_inside_the_json_ld(client):
    title = "</script><script>alert(1)</script>"
    product = product_with_specs(title="Plain", specs={("brand", "Brand", "text"): "</script><b>x"})
    # Titles with markup are refused on save now; one stored before that must still stay in the JSON-LD.
    type(product).objects.filter(pk=product.pk).update(title=title)

    response = client.get(product.get_absolute_url())
    page = page_of(response)

    assert json_ld(page)["name"] == title
    assert json_ld(page)["brand"]["name"] == "</script><b>x"
    assert json_ld(page, "BreadcrumbList")["itemListElement"][-1]["name"] == title
    mentioning = [script for script in page.find_all("script") if "alert(1)" in (script.string or "")]
    assert [script["type"] for script in mentioning] == ["application/ld+json"] * 2  # Product, BreadcrumbList
    assert "<script>alert(1)" not in response.content.decode()


def test_open_graph_and_twitter_tags_and_the_canonical_link_use_absolute_urls(client, lamp):
    page = page_of(client.get(lamp.get_absolute_url() + "?utm_source=newsletter"))

    url = BASE + lamp.get_absolute_url()
    first_image = BASE + lamp.images.order_by("display_order").first().original.url
    assert page.head.find("link", rel="canonical")["href"] == url
    assert meta(page, "og:type") == "product"
    assert meta(page, "og:title") == "Reading lamp"
    assert meta(page, "og:description") == "Warm & bright. A lamp for long evenings."
    assert page.head.find("meta", attrs={"name": "description"})["content"].strip() == meta(page, "og:description")
    assert meta(page, "og:url") == url
    assert meta(page, "og:image") == first_image
    assert meta(page, "product:price:amount") == "24.95"
    assert meta(page, "product:price:currency") == "EUR"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:image") == first_image


def test_breadcrumbs_show_the_category_path(client, lamp):
    lighting = create_from_breadcrumbs("Home & Garden > Living > Lighting")
    ProductCategory.objects.create(product=lamp, category=lighting)

    page = page_of(client.get(lamp.get_absolute_url()))

    crumbs = page.select("nav[aria-label=breadcrumb] .breadcrumb-item")
    assert [crumb.get_text(strip=True) for crumb in crumbs] == [
        "Home",
        "Home & Garden",
        "Living",
        "Lighting",
        "Reading lamp",
    ]
    assert crumbs[3].a["href"] == lighting.get_absolute_url()
