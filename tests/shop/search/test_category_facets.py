"""A shopper narrows a category page by attributes, price and availability and sorts it; every count the page
shows equals the count the database gives."""

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db.models import F, Min, Q
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model
from oscar.test.factories import create_product, create_stockrecord

from cms.bootstrap import home_page_ensure
from shop.search.price_bands import PRICE_BANDS, price_band

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")

# title, subcategory, brand, waterproof, price, stock; colour varies by variant (below)
SPEAKERS = [
    ("Pocket Speaker", "Speakers", "Polder", True, "19.00", 4),
    ("Shelf Speaker", "Speakers", "Polder", False, "89.00", 0),
    ("Garden Speaker", "Speakers", "Delta", True, "149.00", 2),
    ("Party Speaker", "Speakers", "Noord", False, "249.00", 1),
    ("Studio Headphones", "Headphones", "Delta", False, "129.00", 3),
    ("Running Headphones", "Headphones", "Polder", True, "45.00", 0),
    ("Travel Headphones", "Headphones", "Noord", False, "39.00", 7),
]


@pytest.fixture
def audio(db, search_engine):
    """Audio (Speakers, Headphones) with brand, waterproof and colour attributes; one parent whose variants
    come in two colours, one of them sold out; a hidden product."""
    home_page_ensure()
    gadget = ProductClass.objects.create(name="Gadget", vat_category="standard", track_stock=True)
    for code, name, kind in [("brand", "Brand", "text"), ("waterproof", "Waterproof", "boolean")]:
        ProductAttribute.objects.create(product_class=gadget, code=code, name=name, type=kind)
    ProductAttribute.objects.create(product_class=gadget, code="colour", name="Colour", type="text")
    audio = Category.add_root(name="Audio")
    leaves = {name: audio.add_child(name=name) for name in ("Speakers", "Headphones")}
    for number, (title, leaf, brand, waterproof, price, stock) in enumerate(SPEAKERS):
        product = create_product(
            upc=f"AUDIO-{number}", title=title, product_class="Gadget", price=Decimal(price), num_in_stock=stock
        )
        with_values(product, brand=brand, waterproof=waterproof, colour="Black")
        ProductCategory.objects.create(product=product, category=leaves[leaf])
    parent = with_values(
        create_product(upc="AUDIO-P", title="Colour Earbuds", product_class="Gadget", structure="parent"), brand="Kade"
    )
    ProductCategory.objects.create(product=parent, category=leaves["Headphones"])
    for colour, price, stock in [("Red", "29.00", 5), ("Blue", "25.00", 0)]:
        child = Product(parent=parent, structure="child", title=f"Colour Earbuds {colour}", upc=f"AUDIO-P-{colour}")
        child.save()
        with_values(child, colour=colour)
        create_stockrecord(child, price=Decimal(price), num_in_stock=stock)
    hidden = create_product(upc="AUDIO-H", title="Hidden Speaker", product_class="Gadget", is_public=False)
    ProductCategory.objects.create(product=hidden, category=leaves["Speakers"])
    call_command("update_index", "catalogue", remove=True, verbosity=0)
    return audio


def with_values(product, **values):
    for code, value in values.items():
        setattr(product.attr, code, value)
    product.attr.save()
    return product


# --- What the database says --------------------------------------------------------------------------------


def products_in(category):
    return Product.objects.browsable().filter(categories__in=category.get_descendants_and_self()).distinct()


def with_attribute(code, text):
    values = ProductAttributeValue.objects.filter(attribute__code=code)
    if text in ("Yes", "No"):
        values = values.filter(value_boolean=text == "Yes")
    else:
        values = values.filter(value_text=text)
    owners = values.values("product_id")
    return Q(pk__in=owners) | Q(children__pk__in=owners)  # a parent has its variants' values too


def in_stock():
    net = F("num_in_stock") - Coalesce("num_allocated", 0)
    stocked = StockRecord.objects.annotate(net=net).filter(net__gt=0).values("product_id")
    return Q(pk__in=stocked) | Q(children__pk__in=stocked)


def in_band(products, label):
    prices = products.annotate(own=Min("stockrecords__price"), variants=Min("children__stockrecords__price"))
    return {p.pk for p in prices if price_band(p.own if p.own is not None else p.variants) == label}


def database_count(products, group, value):
    if group == "Availability":
        matching = products.filter(in_stock()) if value == "In stock" else products.exclude(in_stock())
        return matching.distinct().count()
    if group == "Price":
        return len(in_band(products, value))
    if group == "Category":
        return (
            products.filter(categories__in=Category.objects.get(name=value.split(" > ")[-1]).get_descendants_and_self())
            .distinct()
            .count()
        )
    code = {"Brand": "brand", "Colour": "colour", "Waterproof": "waterproof"}[group]
    return products.filter(with_attribute(code, value)).distinct().count()


# --- What the page shows -----------------------------------------------------------------------------------


def shown_counts(response) -> dict[str, dict[str, int]]:
    """{group name: {value: count}} for every facet value whose count the page shows."""
    return {
        data["name"]: {item["name"]: item["count"] for item in data["results"] if item["show_count"]}
        for data in response.context["facet_data"].values()
    }


def listed(response) -> list[str]:
    return [result.object.title for result in response.context["page_obj"].object_list]


def test_the_category_page_offers_each_attributes_values_with_the_databases_counts(client, audio):
    response = client.get("/audio/")

    counts = shown_counts(response)
    assert {"Brand", "Colour", "Waterproof", "Availability", "Price"} <= set(counts)
    assert counts["Colour"] == {"Black": 7, "Blue": 1, "Red": 1}, "a parent is found under its variants' colours"
    products = products_in(audio)
    for group in ("Category", "Brand", "Colour", "Waterproof", "Availability", "Price"):
        for value, count in counts[group].items():
            assert count == database_count(products, group, value), f"{group}: {value}"
    assert sum(counts["Availability"].values()) == products.count() == 8


def test_a_shopper_narrows_by_an_attribute_and_a_price_range_sorts_by_price_and_every_count_still_matches(
    client, audio
):
    band = PRICE_BANDS[1][1]  # "€20 to €50"
    query = urlencode(
        [("selected_facets", "attribute:brand=Polder"), ("selected_facets", "attribute:brand=Noord")]
        + [("selected_facets", f"price_band:{band}"), ("sort_by", "price-asc")]
    )
    response = client.get(f"/audio/?{query}")

    assert listed(response) == ["Travel Headphones", "Running Headphones"], "Polder or Noord, €20–50, cheapest first"
    chosen = products_in(audio).filter(with_attribute("brand", "Polder") | with_attribute("brand", "Noord"))
    chosen = chosen.filter(pk__in=in_band(chosen, band))
    assert {r.object.pk for r in response.context["page_obj"].object_list} == set(chosen.values_list("pk", flat=True))
    counts = shown_counts(response)
    assert counts["Brand"] == counts["Price"] == {}, "a chosen group's counts would mislead: its values widen"
    for group in ("Category", "Colour", "Waterproof", "Availability"):
        for value, count in counts[group].items():
            assert count == database_count(chosen, group, value), f"{group}: {value}"


def test_two_attributes_narrow_together_and_a_link_undoes_a_choice(client, audio):
    response = client.get("/audio/?selected_facets=attribute:brand%3DPolder&selected_facets=attribute:waterproof%3DYes")

    assert sorted(listed(response)) == ["Pocket Speaker", "Running Headphones"], "Polder and waterproof"
    brand = next(data for data in response.context["facet_data"].values() if data["name"] == "Brand")
    polder = next(item for item in brand["results"] if item["name"] == "Polder")
    assert polder["selected"]
    widened = client.get(polder["deselect_url"])
    assert sorted(listed(widened)) == ["Garden Speaker", "Pocket Speaker", "Running Headphones"], "every waterproof"


def test_availability_and_sorting_live_in_the_url(client, audio):
    response = client.get("/audio/speakers/?selected_facets=availability:In+stock&sort_by=price-desc")

    assert listed(response) == ["Party Speaker", "Garden Speaker", "Pocket Speaker"]
    assert 'value="price-desc" selected' in response.content.decode(), "the sort box shows the URL's order"


def test_choices_that_match_nothing_say_so_and_lead_back(client, audio):
    response = client.get("/audio/?selected_facets=attribute:brand%3DKade&selected_facets=attribute:colour%3DBlack")

    assert listed(response) == []
    html = response.content.decode()
    assert "No products match all of these choices." in html
    assert client.get(response.context["clear_filters_url"]).context["paginator"].count == 8
