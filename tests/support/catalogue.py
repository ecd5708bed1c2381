"""Catalogue for tests: products with specifications and images, parents with variants, the page's parts."""

import json
from decimal import Decimal

from bs4 import BeautifulSoup
from oscar.core.loading import get_model
from oscar.test.factories import ProductImageFactory

from tests.support.checkout import product_with_stock

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")

OPTION_TYPES = {"option", "multi_option"}


def product_with_specs(
    *, title: str, specs: dict, images: int = 1, price: str = "19.95", stock: int = 5, upc: str | None = None
):
    """A product with a class of its own whose attributes are `specs`' keys ((code, name, type), in order) and
    whose values are `specs`' values (None: no value; an option: its group is the attribute's), plus `images`
    real image files."""
    product = product_with_stock(title=title, price=price, stock=stock)
    product.product_class = ProductClass.objects.create(name=f"Class of {title}", track_stock=True)
    product.upc = upc
    product.save()
    for (code, name, kind), value in specs.items():
        group = (value[0] if isinstance(value, list) else value).group if kind in OPTION_TYPES and value else None
        ProductAttribute.objects.create(
            product_class=product.product_class, code=code, name=name, type=kind, option_group=group
        )
        if value is not None:
            setattr(product.attr, code, value)
    product.attr.save()
    for order in range(images):
        ProductImageFactory(product=product, display_order=order, caption=f"{title} {order}")
    return product


def parent_with_variants(*, title: str, variants: list[tuple[str | None, int]], specs: dict | None = None):
    """A parent product whose public children have stock records of (price or None, stock)."""
    parent = product_with_specs(title=title, specs=specs or {}, images=1)
    parent.stockrecords.all().delete()
    parent.structure = Product.PARENT
    parent.save()
    partner = Partner.objects.get(name="Test warehouse")
    for number, (price, stock) in enumerate(variants):
        child = Product.objects.create(
            title=f"{title} {number}", structure=Product.CHILD, parent=parent, is_public=True
        )
        StockRecord.objects.create(
            product=child,
            partner=partner,
            partner_sku=f"SKU-{child.pk}",
            price=Decimal(price) if price is not None else None,
            num_in_stock=stock,
        )
    return parent


def page_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def json_ld_blocks(page: BeautifulSoup) -> list[dict]:
    """The page's schema.org blocks, each as a browser's parser delimits it (up to the first </script>)."""
    return [json.loads(script.string) for script in page.find_all("script", type="application/ld+json")]


def json_ld(page: BeautifulSoup, kind: str = "Product") -> dict:
    """The page's one schema.org block of type `kind`."""
    (block,) = [block for block in json_ld_blocks(page) if block["@type"] == kind]
    return block


def specifications(page: BeautifulSoup) -> list[tuple[str, str]]:
    section = page.find(id="product_specifications")
    if section is None:
        return []
    return [(row.th.get_text(strip=True), row.td.get_text(strip=True)) for row in section.find_all("tr")]


def meta(page: BeautifulSoup, key: str) -> str | None:
    tag = page.head.find("meta", attrs={"property": key}) or page.head.find("meta", attrs={"name": key})
    return tag["content"] if tag else None
