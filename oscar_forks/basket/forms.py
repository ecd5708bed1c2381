"""Oscar's basket line form, with a quantity field that names its product: the basket shows the field without a
visible label, so each one needs an accessible name of its own (WCAG 1.3.1, 4.1.2)."""

from django.utils.translation import gettext as _
from oscar.apps.basket import forms


class BasketLineForm(forms.BasketLineForm):
    def __init__(self, strategy, *args, **kwargs):
        super().__init__(strategy, *args, **kwargs)
        if self.instance.id:
            title = self.instance.product.get_title()
            self.fields["quantity"].widget.attrs["aria-label"] = _("Quantity of %(product)s") % {"product": title}
