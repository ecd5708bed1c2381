from oscar.apps.basket.abstract_models import AbstractBasket


class Basket(AbstractBasket):
    def is_quantity_allowed(self, qty, line=None):
        """Oscar words any refusal of a line's whole quantity as a stock shortage; a product's
        availability policy refuses for other reasons too (SHOP_MAX_LINE_QUANTITY): give its reason."""
        if line is not None:
            permitted, reason = line.purchase_info.availability.is_purchase_permitted(self.basket_quantity(line) + qty)
            if not permitted:
                return False, reason
        return super().is_quantity_allowed(qty, line)


from oscar.apps.basket.models import *  # noqa: E402,F403
