"""The search engine afresh for each test, over a small, known catalogue.

`search_engine` gives haystack's default connection (the PostgreSQL backend: rows in
the test database, rolled back with the test) anew, with a new instance of the shop's
ProductIndex, so nothing a test leaves in either reaches the next.
"""

from decimal import Decimal

import pytest
from django.core.management import call_command
from haystack import connections
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from shop.search.indexes import ProductIndex

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")

# title, price, category, description
CATALOGUE = [
    ("Ceramic Teapot", "24.95", "Home > Kitchen", "A glazed stoneware teapot for four cups."),
    ("Walnut Serving Board", "39.00", "Home > Kitchen", "Oiled walnut, for bread and cheese."),
    ("Espresso Cups", "12.00", "Home > Kitchen", "Two porcelain cups with saucers."),
    ("Linen Tablecloth", "59.00", "Home > Living", "Stonewashed linen in sand."),
    ("Woollen Scarf", "18.50", "Clothing > Accessories", "Merino wool, knitted in Scotland."),
    ("Leather Weekend Bag", "219.00", "Clothing > Accessories", "Full-grain leather with brass buckles."),
    ("Bluetooth Speaker", "89.00", "Electronics > Audio", "Twelve hours of music, quieter than it looks."),
    ("Noise Cancelling Headphones", "249.00", "Electronics > Audio", "Quiet trains and quiet offices."),
    ("Brass Desk Lamp", "129.00", "Home > Living", "A warm light for reading."),
]


@pytest.fixture
def search_engine():
    connections.reload("default")
    connections["default"].get_unified_index().build(indexes=[ProductIndex()])
    yield
    # Forget the engine; the next use builds one from the settings again.
    connections.thread_local.connections.pop("default", None)


@pytest.fixture
def catalogue(db, search_engine):
    """The products of CATALOGUE (public, in stock) and one hidden product, indexed."""
    ProductClass.objects.get_or_create(name="Homeware", defaults={"vat_category": "standard", "track_stock": True})
    products = []
    for number, (title, price, category, description) in enumerate(CATALOGUE):
        product = create_product(
            upc=f"SEARCH-{number:03d}",
            title=title,
            product_class="Homeware",
            description=f"<p>{description}</p>",
            price=Decimal(price),
            num_in_stock=5,
            partner_sku=f"SKU-SEARCH-{number:03d}",
        )
        ProductCategory.objects.create(product=product, category=create_from_breadcrumbs(category))
        products.append(product)
    hidden = create_product(upc="SEARCH-HIDDEN", title="Hidden Ceramic Vase", product_class="Homeware", is_public=False)
    ProductCategory.objects.create(product=hidden, category=create_from_breadcrumbs("Home > Kitchen"))
    call_command("update_index", "catalogue", remove=True, verbosity=0)
    return products
