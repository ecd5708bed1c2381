from django import forms
from django.utils.translation import gettext_lazy as _


class OrderLookupForm(forms.Form):
    """A guest finds an order by its number and the email address it was placed with."""

    number = forms.CharField(label=_("Order number"), max_length=32)
    email = forms.EmailField(label=_("Email address"))

    def clean_number(self) -> str:
        # Numbers are capitals and digits (shop/orders/services.py); people type them in any case.
        return self.cleaned_data["number"].strip().upper()
