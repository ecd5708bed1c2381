from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms
from oscar.apps.customer.utils import normalise_email

from oscar_forks.address_form import CountryAddressFormMixin


class GatewayForm(forms.Form):
    """Who is checking out: a guest with an email address, or someone who signs in (or up) through allauth.

    No password here (allauth is the one login, with its limits), and no answer to whether an
    email address has an account."""

    GUEST, ACCOUNT = "anonymous", "account"
    username = forms.EmailField(label=_("My email address is"), required=False)
    options = forms.ChoiceField(
        widget=forms.widgets.RadioSelect,
        initial=GUEST,
        choices=(
            (GUEST, _("I am a new customer and want to checkout as a guest")),
            (ACCOUNT, _("I have an account, or want one: sign in or sign up first")),
        ),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_username(self):
        return normalise_email(self.cleaned_data["username"]) if self.cleaned_data["username"] else ""

    def clean(self):
        data = super().clean()
        if self.is_guest_checkout() and not data.get("username") and "username" not in self.errors:
            self.add_error("username", _("Enter the email address we should send your order confirmation to."))
        return data

    def is_guest_checkout(self):
        return self.cleaned_data.get("options") == self.GUEST

    def is_new_account_checkout(self):
        return False


class ShippingAddressForm(CountryAddressFormMixin, oscar_forms.ShippingAddressForm):
    """Oscar's shipping address, with the fields of the country chosen (the shop's own first)."""
