"""A product's specifications: its Oscar attribute values as a shopper reads them.

One row per attribute with a value, in the order the product class defines its
attributes. A child (variant) shows its parent's values too, its own winning
(Oscar's `get_attribute_values`). Values are plain text: numbers carry the unit
their attribute's name states ("Power (W)" and 45 read "Power: 45 W"), booleans
read Yes/No, options their label; empty values, files and images are left out.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext

from .text import plain_text

# A short unit symbol closing an attribute's name: "Width (cm)", "Power (W)", "Battery (mAh)". Worded units
# ("Warranty (years)") stay in the name, so a value of 1 never reads "1 years".
UNIT_IN_NAME = re.compile(r"^(?P<name>.+?)\s*\((?P<unit>[^\s()]{1,3})\)$")
NUMERIC_TYPES = {"integer", "float"}
NOT_TEXT_TYPES = {"file", "image"}


@dataclass(frozen=True)
class Specification:
    code: str
    name: str
    value: str


def product_specifications(product) -> list[Specification]:
    """The product's specifications, ready to print (attribute values must be prefetched for a fixed query count:
    `Product.objects.prefetch_attribute_values()`)."""
    values = sorted(product.get_attribute_values(), key=lambda value: value.attribute.pk)
    specifications = []
    for value in values:
        specification = _specification(value)
        if specification is not None:
            specifications.append(specification)
    return specifications


def _specification(attribute_value) -> Specification | None:
    attribute = attribute_value.attribute
    if attribute.type in NOT_TEXT_TYPES:
        return None
    text = _as_text(attribute.type, attribute_value)
    if not text:
        return None
    name = attribute.name
    match = UNIT_IN_NAME.match(name)
    if attribute.type in NUMERIC_TYPES and match:
        name, text = match["name"], f"{text} {match['unit']}"
    return Specification(code=attribute.code, name=name, value=text)


def _as_text(kind: str, attribute_value) -> str:
    value = attribute_value.value
    if value is None:
        return ""
    if kind == "boolean":
        return pgettext("Product attribute value", "Yes") if value else pgettext("Product attribute value", "No")
    if kind == "integer":
        return str(value)
    if kind == "float":
        return format(Decimal(repr(value)).normalize(), "f")
    if kind == "date":
        return date_format(value)
    if kind == "datetime":
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    if kind == "richtext":
        return plain_text(value)
    if kind == "multi_option":
        return ", ".join(str(option) for option in value.all())
    return str(value).strip()
