"""An address's fields as its country's form asks for them, stored in Oscar's address fields and read back.

Oscar's model stays as it is: `line1` holds the street address as the country writes it (in the Netherlands
street, house number and addition joined: "Damrak 1A", "Kerkstraat 12-2"), `line2` its second line, `line3` the
district, `line4` the city, `state` the state or province (Google's key: CA, RM), `postcode` the postcode as the
country writes it. Carriers, Mollie and the dashboard read these fields as they always did."""

import re

from .formats import ALL_FIELDS, address_format

OSCAR_FIELDS = ("line1", "line2", "line3", "line4", "state", "postcode")
# "Damrak 1", "Damrak 1A", "Damrak 1 A", "Kerkstraat 12-2", "Kerkstraat 12 hs", "Plein 1944 3"
NUMBERED_STREET = re.compile(
    r"^(?P<street>.+?)\s+(?P<number>\d+)(?:\s?(?P<letter>[A-Za-z])|\s?-\s?(?P<addition>\S+)|\s(?P<word>[A-Za-z]{2,4}))?$"
)


def address_to_oscar_fields(country: str, values: dict) -> dict[str, str]:
    """The form's `values` for `country` -> Oscar's line1..line4, state and postcode (every one of them, blank
    where the country has no such field, so nothing of another country's form stays behind)."""
    names = address_format(country).names
    stored = {name: _text(values.get(name)) if name in names else "" for name in OSCAR_FIELDS}
    if "house_number" in names:
        stored["line1"] = house_number_join(
            _text(values.get("street")), _text(values.get("house_number")), _text(values.get("house_number_addition"))
        )
    return stored


def address_from_oscar_fields(country: str, stored: dict) -> dict[str, str]:
    """Oscar's fields -> the values of `country`'s form (the reverse of address_to_oscar_fields)."""
    names = address_format(country).names
    values = {name: _text(stored.get(name)) for name in OSCAR_FIELDS if name in names}
    if "house_number" in names:
        values.update(house_number_split(_text(stored.get("line1"))))
        if stored.get("line2"):  # a second line from another country's form: kept beside the street
            values["street"] = f"{values['street']}, {_text(stored['line2'])}".strip(", ")
    elif "line1" in names and not values.get("line1") and stored.get("street"):
        values["line1"] = house_number_join(
            _text(stored.get("street")), _text(stored.get("house_number")), _text(stored.get("house_number_addition"))
        )
    return values


def address_values_carry_over(from_country: str, to_country: str, values: dict) -> dict[str, str]:
    """What was typed in `from_country`'s form, as `to_country`'s form shows it: the shopper changed the country
    and keeps the street, number, postcode and city typed so far."""
    stored = address_to_oscar_fields(from_country, values)
    carried = address_from_oscar_fields(to_country, stored)
    names = address_format(to_country).names
    # A field both forms have keeps its text as typed (a postcode not valid in the new country included).
    carried.update({name: _text(values.get(name)) for name in ALL_FIELDS if name in names and values.get(name)})
    return carried


def house_number_join(street: str, number: str, addition: str) -> str:
    """Street, house number and addition as one line: a letter joins the number (1A), anything else after a
    hyphen (12-2, 12-hs), as Dutch addresses are written."""
    addition = addition.strip().lstrip("-").strip()
    if addition:
        number = f"{number}{addition.upper()}" if re.fullmatch(r"[A-Za-z]", addition) else f"{number}-{addition}"
    return " ".join(part for part in (street, number) if part)


def house_number_split(line: str) -> dict[str, str]:
    """ "Damrak 1A" -> street Damrak, house number 1, addition A; a line without a number is all street."""
    match = NUMBERED_STREET.match(line.strip())
    if not match:
        return {"street": line.strip(), "house_number": "", "house_number_addition": ""}
    addition = match["letter"] or match["addition"] or match["word"] or ""
    return {"street": match["street"], "house_number": match["number"], "house_number_addition": addition}


def _text(value) -> str:
    return " ".join(str(value or "").split())
