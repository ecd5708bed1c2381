from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.apps.address import forms as address_forms
from oscar.apps.customer import forms as oscar_forms

from oscar_forks.address_form import CountryAddressFormMixin


def _status_choices():
    return [("", _("Any status"))] + [(status, _(status)) for status in settings.OSCAR_ORDER_STATUS_PIPELINE]


class OrderSearchForm(oscar_forms.OrderSearchForm):
    """Oscar's order history filter (dates, number), and the order's status."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=_status_choices)

    def clean(self):
        if self.is_valid() and self.cleaned_data.get("status"):
            return self.cleaned_data  # a status alone is enough to filter by
        return super().clean()

    def get_filters(self):
        filters = super().get_filters()
        if self.cleaned_data.get("status"):
            filters["status"] = self.cleaned_data["status"]
        return filters


class ProfileForm(oscar_forms.UserForm):
    """Names, phone and email preferences; never the email address, which is allauth's to change
    (password again, verified, throttled, at /accounts/email/)."""

    class Meta(oscar_forms.UserForm.Meta):
        fields = ["first_name", "last_name", "phone_number", "delivery_updates_by_email"]


class UserAddressForm(CountryAddressFormMixin, address_forms.UserAddressForm):
    """An address book entry, with the fields of the country chosen (the shop's own first); any country may be
    kept in the book, the checkout offers those the shop delivers to."""
