"""Oscar's address forms (checkout's shipping address, the address book), with the fields of the country chosen:
labels, order and required fields from shop/addresses/formats.py, the values stored in Oscar's own address fields
by shop/addresses/services.py. The shop's own country comes first in the list and is chosen until the shopper
chooses another.

Changing the country re-renders the form for the new country, without validating it and keeping what was typed:
the "Update the form for this country" button does it without JavaScript, address-form.js on change."""

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from shop.addresses.formats import ALL_FIELDS, address_format, home_country, postcode_clean
from shop.addresses.services import address_from_oscar_fields, address_to_oscar_fields, address_values_carry_over

Country = get_model("address", "Country")

COUNTRY_SHOWN = "address_country_shown"  # the country whose fields the page showed
UPDATE_COUNTRY = "update_country"  # the no-JavaScript button's name
KEPT_FIELDS = ("title", "first_name", "last_name", "phone_number", "notes")


class CountryAddressFormMixin:
    """Mix into an Oscar address ModelForm (before it): the address fields follow the chosen country."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "country" in self.fields:
            field = self.fields["country"]
            field.queryset = home_first(field.queryset)
            field.empty_label = None
            field.help_text = ""
        self.country_code = self._chosen_country()
        self.address_format = address_format(self.country_code)
        if "country" in self.fields and not self.is_bound:
            self.initial["country"] = self.country_code
        self._build_address_fields()

    def _allowed_countries(self) -> set[str]:
        if "country" not in self.fields:
            return {self.instance.country_id} if self.instance.country_id else {home_country()}
        return set(self.fields["country"].queryset.values_list("pk", flat=True))

    def _chosen_country(self) -> str:
        if self.is_bound:
            wanted = self.data.get(self.add_prefix("country"), "")
        else:
            wanted = self.initial.get("country") or self.instance.country_id or ""
        wanted = getattr(wanted, "pk", wanted) or ""
        allowed = self._allowed_countries()
        if str(wanted).upper() in allowed:
            return str(wanted).upper()
        return home_country() if home_country() in allowed or not allowed else sorted(allowed)[0]

    def _build_address_fields(self):
        for name in ALL_FIELDS:
            self.fields.pop(name, None)
        for spec in self.address_format.fields:
            attrs = {"autocomplete": spec.autocomplete} if spec.autocomplete else {}
            if spec.choices:
                choices = [("", _("Choose…")), *spec.choices]
                field = forms.ChoiceField(choices=choices, widget=forms.Select(attrs=attrs))
            else:
                field = forms.CharField(max_length=spec.max_length, widget=forms.TextInput(attrs=attrs))
            field.label, field.required, field.help_text = spec.label, spec.required, spec.help_text
            self.fields[spec.name] = field
        self.fields[COUNTRY_SHOWN] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.initial[COUNTRY_SHOWN] = self.country_code
        if not self.is_bound:
            stored = {name: self.initial.get(name, getattr(self.instance, name, "")) for name in ALL_FIELDS}
            self.initial.update(address_from_oscar_fields(self.country_code, stored))
        for field in self.fields.values():  # "Enter the postcode." says more than "This field is required."
            label = str(field.label or "")
            named = label if label[:2].isupper() else label[:1].lower() + label[1:]
            told = _("Choose the %(field)s.") if isinstance(field, forms.ChoiceField) else _("Enter the %(field)s.")
            field.error_messages["required"] = told % {"field": named}
        names = list(self.fields)
        head = [name for name in ("title", "first_name", "last_name", "country") if name in names]
        self.order_fields([*head, *self.address_format.names, *names])

    @property
    def country_name(self) -> str:
        found = Country._default_manager.filter(pk=self.country_code).values_list("printable_name", flat=True)
        return found.first() or self.country_code

    # The template's three parts: names, then the country and its fields, then phone and notes. Each error is
    # tied to its field by Django (aria-describedby `<id>_error`, aria-invalid); the template prints the ids.
    def name_fields(self):
        return [self[name] for name in ("title", "first_name", "last_name") if name in self.fields]

    def address_fields(self):
        return [self[name] for name in self.address_format.names]

    def other_fields(self):
        shown = {"title", "first_name", "last_name", "country", COUNTRY_SHOWN, *self.address_format.names}
        return [self[name] for name in self.fields if name not in shown]

    def clean(self):
        data = super().clean()
        if data.get("postcode"):
            try:
                data["postcode"] = postcode_clean(self.country_code, data["postcode"], state=data.get("state", ""))
            except forms.ValidationError as error:
                self.add_error("postcode", error)
        if not self.errors:
            # Oscar's fields from the country's: construct_instance then writes every one (blank where unused).
            data.update(address_to_oscar_fields(self.country_code, data))
        return data


def home_first(queryset):
    """Countries with the shop's own first, then by name."""
    home = Case(When(pk=home_country(), then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.order_by(home, "printable_name")


def country_change_requested(data) -> bool:
    """The shopper asked for another country's fields: the button, or a country other than the one shown (a
    shopper without JavaScript who changed the country and pressed "Continue")."""
    if UPDATE_COUNTRY in data:
        return True
    shown, chosen = data.get(COUNTRY_SHOWN), data.get("country")
    return bool(shown and chosen and shown.upper() != chosen.upper())


def country_change_initial(data) -> dict:
    """The form's initial values for the country now chosen, from what was typed for the country shown."""
    chosen = (data.get("country") or home_country()).upper()
    shown = (data.get(COUNTRY_SHOWN) or chosen).upper()
    typed = {name: data.get(name, "") for name in ALL_FIELDS}
    return {
        **{name: data[name] for name in KEPT_FIELDS if name in data},
        "country": chosen,
        **address_to_oscar_fields(chosen, address_values_carry_over(shown, chosen, typed)),
    }


class CountryChangeViewMixin:
    """For Oscar's address form views: a post that asks for another country's fields renders the form again,
    unbound (no errors), with what was typed carried over."""

    def post(self, request, *args, **kwargs):
        if not country_change_requested(request.POST):
            return super().post(request, *args, **kwargs)
        if hasattr(self, "get_object") and "pk" in kwargs:
            self.object = self.get_object()
        elif hasattr(self, "get_object"):
            self.object = None
        form_kwargs = self.get_form_kwargs()
        form_kwargs.pop("data", None)
        form_kwargs.pop("files", None)
        form_kwargs["initial"] = {**(form_kwargs.get("initial") or {}), **country_change_initial(request.POST)}
        form = self.get_form_class()(**form_kwargs)
        return self.render_to_response(self.get_context_data(form=form, country_changed=True))
