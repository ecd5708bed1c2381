"""Pricing for a Dutch shop: shelf prices include VAT at the product class's rate; at most
SHOP_MAX_LINE_QUANTITY units of one product per basket."""

from django.conf import settings
from django.utils.translation import gettext as _
from oscar.apps.partner import availability, prices, strategy

from shop.pricing.vat import tax_code_for, vat_included_in


class VatInclusivePricing:
    """Pricing policy mixin: the stock record holds the gross (VAT-inclusive) price.

    The VAT share is derived from the gross price, so the price a shopper sees
    on the shelf is exactly what they pay.
    """

    def pricing_policy(self, product, stockrecord):
        if not stockrecord or stockrecord.price is None:
            return prices.Unavailable()
        return self._price(product, stockrecord)

    def parent_pricing_policy(self, product, children_stock):
        # A child may have a stock record without a price yet: it has no price to offer, so it is left out.
        stockrecords = [record for _, record in children_stock if record is not None and record.price is not None]
        if not stockrecords:
            return prices.Unavailable()
        return self._price(product, min(stockrecords, key=lambda record: record.price))

    def _price(self, product, stockrecord):
        gross = stockrecord.price
        rate = product.get_product_class().vat_rate
        tax = vat_included_in(gross, rate)
        return prices.TaxInclusiveFixedPrice(
            currency=stockrecord.price_currency, excl_tax=gross - tax, tax=tax, tax_code=tax_code_for(rate)
        )


class LineCapped(availability.Base):
    """Another availability policy, refusing more than SHOP_MAX_LINE_QUANTITY units of the product.

    Oscar's basket forms ask the policy about the whole quantity of the product in the basket
    (adding and changing a line alike), so the cap holds across both.
    """

    def __init__(self, policy):
        self.policy = policy

    def __getattr__(self, name):  # num_available and anything else a template asks the wrapped policy
        if name == "policy":  # not set yet (a copy being built): no recursion
            raise AttributeError(name)
        return getattr(self.policy, name)

    # Base defines these on the class, where __getattr__ is never asked.
    code = property(lambda self: self.policy.code)
    message = property(lambda self: self.policy.message)
    short_message = property(lambda self: self.policy.short_message)
    dispatch_date = property(lambda self: self.policy.dispatch_date)

    @property
    def is_available_to_buy(self):
        return self.policy.is_available_to_buy

    def is_purchase_permitted(self, quantity):
        if quantity > settings.SHOP_MAX_LINE_QUANTITY:
            return False, _("one order can hold at most %(max)d of this product") % {
                "max": settings.SHOP_MAX_LINE_QUANTITY
            }
        return self.policy.is_purchase_permitted(quantity)


class CappedQuantities:
    """Availability policy mixin: the policies of the mixins after it, capped per product."""

    def availability_policy(self, product, stockrecord):
        return LineCapped(super().availability_policy(product, stockrecord))


class DutchRetail(
    strategy.UseFirstStockRecord, CappedQuantities, strategy.StockRequired, VatInclusivePricing, strategy.Structured
):
    """First stock record, sell only what is in stock and a few of each per order, prices include VAT."""


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return DutchRetail(request)
