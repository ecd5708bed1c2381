"""Pricing for a Dutch shop: shelf prices include VAT at the product class's rate."""

from oscar.apps.partner import prices, strategy

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


class DutchRetail(strategy.UseFirstStockRecord, strategy.StockRequired, VatInclusivePricing, strategy.Structured):
    """First stock record, sell only what is in stock, prices include VAT."""


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return DutchRetail(request)
