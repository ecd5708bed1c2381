"""Oscar's offer utilities, with the range link escaped.

Oscar formats a range's name into the HTML of benefit and condition descriptions, which its dashboard
prints with `|safe`: a name is text, so it is escaped here like any other text.
"""

from django.urls import reverse
from django.utils.html import format_html


def range_anchor(product_range) -> str:
    return format_html(
        '<a href="{}">{}</a>', reverse("dashboard:range-update", kwargs={"pk": product_range.pk}), product_range.name
    )
