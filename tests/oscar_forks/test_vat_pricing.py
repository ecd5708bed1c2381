from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from oscar_forks.partner.strategy import DutchRetail
from shop.pricing.vat import vat_included_in

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


@pytest.mark.parametrize(
    ("gross", "rate", "vat"),
    [
        (Decimal("121.00"), Decimal("0.21"), Decimal("21.00")),
        (Decimal("10.90"), Decimal("0.09"), Decimal("0.90")),
        (Decimal("9.95"), Decimal("0.21"), Decimal("1.73")),
        (Decimal("5.00"), Decimal("0.00"), Decimal("0.00")),
    ],
)
def test_vat_is_the_share_of_the_gross_price(gross, rate, vat):
    assert vat_included_in(gross, rate) == vat


@pytest.mark.django_db
@pytest.mark.parametrize(("category", "tax"), [("standard", Decimal("21.00")), ("reduced", Decimal("9.99"))])
def test_shelf_price_includes_the_product_class_rate(category, tax):
    product_class = ProductClass.objects.create(name=f"Class {category}", vat_category=category)
    product = Product.objects.create(title="Kettle", product_class=product_class)
    partner = Partner.objects.create(name="Warehouse")
    StockRecord.objects.create(
        product=product, partner=partner, partner_sku="K1", price=Decimal("121.00"), num_in_stock=3
    )

    price = DutchRetail().fetch_for_product(product).price

    assert price.currency == "EUR"
    assert price.incl_tax == Decimal("121.00")
    assert price.tax == tax
    assert price.excl_tax == Decimal("121.00") - tax
    assert price.is_tax_known
