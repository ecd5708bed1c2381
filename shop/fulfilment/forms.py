from django import forms
from django.utils.translation import gettext_lazy as _

from .carriers import carrier_choices


class ShipmentForm(forms.Form):
    """One parcel: its carrier, its tracking number, and how many of each order line go in it."""

    carrier = forms.ChoiceField(label=_("Carrier"), choices=carrier_choices)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)

    def __init__(self, *args, lines_left, open_chargebacks=(), **kwargs):
        """`lines_left`: (order line, units not yet shipped) for each line that still has some.
        `open_chargebacks`: the order's chargebacks not reversed; staff must tick the override to ship."""
        super().__init__(*args, **kwargs)
        for line, left in lines_left:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=line.title, min_value=0, max_value=left, initial=left, required=False
            )
        self.open_chargebacks = list(open_chargebacks)
        if self.open_chargebacks:
            self.fields["chargeback_override"] = forms.BooleanField(
                label=_("Ship despite the chargeback (recorded on the order with your name)"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    def quantities(self) -> dict[int, int]:
        return {
            int(name.removeprefix("line_")): value or 0
            for name, value in self.cleaned_data.items()
            if name.startswith("line_")
        }
