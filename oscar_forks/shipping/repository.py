"""Delivery methods come from the database (editable in the dashboard) and carry VAT.

Each `OrderAndItemCharges` row is a method; one with no countries delivers
everywhere the shop ships. Charges are entered gross, like shelf prices, and
taxed at the rate of SHOP_SHIPPING_VAT_CATEGORY.
"""

from django.conf import settings
from oscar.apps.shipping import repository
from oscar.apps.shipping.methods import Base
from oscar.core import prices
from oscar.core.loading import get_model

from shop.pricing.vat import tax_code_for, vat_included_in

OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")


class VatInclusiveCharge(Base):
    """Wraps a method whose charge is gross, and states the VAT it contains."""

    def __init__(self, method, rate):
        self.method = method
        self.rate = rate
        self.code = method.code
        self.name = method.name
        self.description = method.description

    @property
    def free_shipping_threshold(self):
        return getattr(self.method, "free_shipping_threshold", None)

    def calculate(self, basket):
        gross = self.method.calculate(basket).incl_tax
        vat = vat_included_in(gross, self.rate)
        return prices.Price(currency=basket.currency, excl_tax=gross - vat, tax=vat, tax_code=tax_code_for(self.rate))


class Repository(repository.Repository):
    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        country = shipping_addr.country_id if shipping_addr else settings.SHOP_COUNTRY
        rate = settings.SHOP_VAT_RATES[settings.SHOP_SHIPPING_VAT_CATEGORY]
        methods = [
            method for method, countries in _methods_with_countries(basket) if not countries or country in countries
        ]
        return [VatInclusiveCharge(method, rate) for method in methods]


def _methods_with_countries(basket) -> list[tuple]:
    """The delivery methods and their country codes, read once per request: the checkout asks for
    them many times per page, and the basket object lives exactly as long as the request."""
    cached = getattr(basket, "_shop_delivery_methods", None)
    if cached is None:
        rows = OrderAndItemCharges.objects.prefetch_related("countries").order_by("price_per_order", "pk")
        cached = [(method, {c.iso_3166_1_a2 for c in method.countries.all()}) for method in rows]
        basket._shop_delivery_methods = cached
    return cached
