from oscar.apps.checkout import session

from shop.pricing.vat import basket_vat_summary


class CheckoutSessionMixin(session.CheckoutSessionMixin):
    """Every checkout page shows the basket's totals: with them, the VAT per rate the invoice will state."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["vat_summary"] = basket_vat_summary(self.request.basket, context.get("shipping_charge"))
        return context
