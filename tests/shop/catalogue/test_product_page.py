"""The product page: a specifications table and the category path."""

import pytest
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from tests.support.catalogue import (
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
