"""Product and category pages carry schema.org data that schema.org's vocabulary allows (tests/support/schema_org.py):
a Product on product pages, a BreadcrumbList on product and category pages, each step at its canonical address."""

import pytest
from oscar.core.loading import get_model

from cms.models import CategoryPage
from tests.support.catalogue import json_ld, json_ld_blocks, page_of, parent_with_variants, product_with_specs
from tests.support.schema_org import RELEASE, schema_org_problems

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

BASE = "https://shop.example.com"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.SHOP_BASE_URL = BASE


def trail(page) -> list[tuple[int, str, str]]:
    return [
        (item["position"], item["name"], item["item"]) for item in json_ld(page, "BreadcrumbList")["itemListElement"]
    ]


def test_a_product_in_a_deep_category_carries_a_product_and_its_breadcrumbs_all_valid(demo_shop, client):
    product = Product.objects.browsable().filter(categories__depth=3).order_by("pk").first()
    category = product.get_categories().first()

    page = page_of(client.get(product.get_absolute_url()))

    blocks = json_ld_blocks(page)
    assert sorted(block["@type"] for block in blocks) == ["BreadcrumbList", "Product"]
    assert {block["@type"]: schema_org_problems(block) for block in blocks} == {"Product": [], "BreadcrumbList": []}
    steps = [(BASE + "/", "Home")] + [
        (BASE + CategoryPage.objects.get(category=ancestor).url, ancestor.name)
        for ancestor in category.get_ancestors_and_self()
    ]
    steps.append((BASE + product.get_absolute_url(), product.get_title()))
    assert trail(page) == [(position, name, url) for position, (url, name) in enumerate(steps, start=1)]
    shown = [(item.get_text(strip=True)) for item in page.select("ol.breadcrumb li.breadcrumb-item")]
    assert shown == [name for _url, name in steps], "the visible trail is the same"


def test_a_category_without_a_live_page_leads_to_oscars_listing_in_the_trail(demo_shop, client):
    product = Product.objects.browsable().filter(categories__depth=3).order_by("pk").first()
    category = product.get_categories().first()
    CategoryPage.objects.get(category=category).unpublish()

    page = page_of(client.get(product.get_absolute_url()))

    assert trail(page)[-2] == (5 - 1, category.name, BASE + category.get_absolute_url())
    assert schema_org_problems(json_ld(page, "BreadcrumbList")) == []


@pytest.mark.django_db
def test_products_with_brand_gtin_variants_or_none_of_these_carry_valid_data(client):
    branded = product_with_specs(title="Desk lamp", specs={("brand", "Brand", "text"): "Lumen"}, upc="8712345678906")
    parent = parent_with_variants(title="Wool cap", variants=[("12.00", 2), ("14.00", 0)])
    for product in (branded, parent, parent.children.first()):
        page = page_of(client.get(product.get_absolute_url()))
        for block in json_ld_blocks(page):
            assert schema_org_problems(block) == [], (product.get_title(), block["@type"])
        assert trail(page) == [
            (1, "Home", BASE + "/"),
            (2, product.get_title(), BASE + product.get_absolute_url()),
        ], "no category: home, then the product"
    assert json_ld(page_of(client.get(parent.get_absolute_url())))["offers"]["@type"] == "AggregateOffer"


def test_a_category_page_carries_valid_breadcrumbs_from_home_down_to_itself(demo_shop, client):
    leaf = Category.objects.filter(depth=3).order_by("path").first()
    page = CategoryPage.objects.get(category=leaf)

    html = page_of(client.get(page.url))

    data = json_ld(html, "BreadcrumbList")
    assert schema_org_problems(data) == []
    expected = [("Home", BASE + "/")] + [
        (ancestor.name, BASE + CategoryPage.objects.get(category=ancestor).url) for ancestor in leaf.get_ancestors()
    ]
    expected.append((leaf.name, BASE + page.url))
    assert trail(html) == [(position, name, url) for position, (name, url) in enumerate(expected, start=1)]


def test_the_check_knows_schema_orgs_types_properties_and_where_each_belongs():
    assert RELEASE == "12.0"
    valid = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Lamp",  # inherited from Thing
        "offers": {"@type": "AggregateOffer", "lowPrice": "1.00", "availability": "https://schema.org/InStock"},
    }
    assert schema_org_problems(valid) == []
    unknown = schema_org_problems({**valid, "@type": "Produkt"})
    assert unknown[:2] == [
        "Produkt: Produkt is no schema.org type",
        "Produkt.name: not a property of Produkt (only of ['Thing'])",
    ]
    assert unknown[2].startswith("Produkt.offers: not a property of Produkt (only of ['AggregateOffer', ")
    assert schema_org_problems({**valid, "colour": "red"}) == ["Product.colour: no schema.org property"]
    assert schema_org_problems({**valid, "offers": {"@type": "Offer", "lowPrice": "1.00"}}) == [
        "Product.offers.lowPrice: not a property of Offer (only of ['AggregateOffer'])"
    ]
    assert schema_org_problems({**valid, "offers": {"@type": "Brand", "name": "x"}}) == [
        "Product.offers: takes ['Demand', 'Offer'], not Brand"
    ]
    assert schema_org_problems({**valid, "offers": {"@type": "Offer", "availability": "https://schema.org/Sold"}}) == [
        "Product.offers.availability: https://schema.org/Sold is no schema.org enumeration value"
    ]
    condition = {"@type": "Offer", "availability": "https://schema.org/NewCondition"}
    assert schema_org_problems({**valid, "offers": condition}) == [
        "Product.offers.availability: takes ['ItemAvailability'], not https://schema.org/NewCondition"
    ]
    assert schema_org_problems({**valid, "@context": "http://schema.org/"}) != []
