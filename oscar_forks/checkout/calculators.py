from oscar.apps.checkout import calculators
from oscar.core import prices

from shop.pricing.vat import basket_vat_summary


class OrderTotalCalculator(calculators.OrderTotalCalculator):
    """The gross total as Oscar adds it up; the VAT in it per rate, as an invoice states it."""

    def calculate(self, basket, shipping_charge, surcharges=None, **kwargs):
        total = super().calculate(basket, shipping_charge, surcharges, **kwargs)
        if total.incl_tax is None:
            return total
        vat = basket_vat_summary(basket, shipping_charge).vat
        return prices.Price(currency=total.currency, excl_tax=total.incl_tax - vat, incl_tax=total.incl_tax)
