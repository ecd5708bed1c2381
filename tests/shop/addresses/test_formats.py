"""Each country's address fields, postcodes and printing (shop/addresses): Google's data with the shop's choices."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from shop.addresses.formats import address_format, address_lines, postcode_clean
from shop.addresses.services import (
    address_from_oscar_fields,
    address_to_oscar_fields,
    address_values_carry_over,
    house_number_join,
    house_number_split,
)


def fields(country: str) -> list[tuple[str, str, bool]]:
    return [(field.name, str(field.label), field.required) for field in address_format(country).fields]


def test_the_netherlands_asks_postcode_and_house_number_first_and_has_no_province():
    assert fields("NL") == [
        ("postcode", "Postcode", True),
        ("house_number", "House number", True),
        ("house_number_addition", "House number addition", False),
        ("street", "Street", True),
        ("line4", "City", True),
    ]


def test_belgium_and_germany_write_street_and_number_on_one_line_then_postcode_and_city():
    expected = [
        ("line1", "Street and house number", True),
        ("line2", "Address line 2", False),
        ("postcode", "Postcode", True),
        ("line4", "City", True),
    ]
    assert fields("BE") == expected
    assert fields("DE") == expected


def test_the_united_states_has_city_state_and_zip_code_all_required():
    assert fields("US")[2:] == [("line4", "City", True), ("state", "State", True), ("postcode", "ZIP code", True)]
    states = dict(address_format("US").field("state").choices)
    assert states["CA"] == "California" and len(states) > 50


def test_ireland_has_an_optional_county_and_eircode_and_britain_a_post_town():
    ireland = dict((name, (label, required)) for name, label, required in fields("IE"))
    assert ireland["state"] == ("County", False)
    assert ireland["postcode"] == ("Eircode", False)
    assert ("line4", "Post town", True) in fields("GB")


def test_italy_requires_a_province_chosen_from_the_list():
    province = address_format("IT").field("state")
    assert str(province.label) == "Province" and province.required
    assert ("RM", "Roma") in province.choices


def test_no_country_has_a_state_field_unless_its_format_has_one():
    for country in ("NL", "BE", "DE", "FR", "AT", "LU"):
        assert "state" not in address_format(country).names, country


@pytest.mark.parametrize(
    "country, typed, written",
    [
        ("NL", "1012lg", "1012 LG"),
        ("NL", " 1012  lg ", "1012 LG"),
        ("NL", "1012-LG", "1012 LG"),
        ("BE", "1000", "1000"),
        ("DE", "10115", "10115"),
        ("GB", "ec1y8sy", "EC1Y 8SY"),
        ("PL", "00950", "00-950"),
        ("US", "95014 1234", "95014-1234"),
    ],
)
def test_postcodes_are_written_the_way_their_country_writes_them(country, typed, written):
    assert postcode_clean(country, typed) == written


@pytest.mark.parametrize(
    "country, typed",
    [
        ("NL", "1012"),
        ("NL", "0123 AB"),  # no Dutch postcode starts with 0
        ("NL", "1012 SA"),  # SA, SD and SS are not used
        ("BE", "10000"),
        ("DE", "1011"),
        ("US", "9501"),
    ],
)
def test_a_postcode_not_valid_in_its_country_is_refused_with_an_example(country, typed):
    with pytest.raises(ValidationError) as refused:
        postcode_clean(country, typed)
    assert "write it like" in refused.value.messages[0]


def test_a_zip_code_must_belong_to_the_state_chosen():
    assert postcode_clean("US", "94043", state="CA") == "94043"
    with pytest.raises(ValidationError) as refused:
        postcode_clean("US", "10001", state="CA")
    assert refused.value.messages == ["ZIP code 10001 does not belong to the state chosen."]


@pytest.mark.parametrize(
    "street, number, addition, line",
    [
        ("Damrak", "1", "", "Damrak 1"),
        ("Damrak", "1", "a", "Damrak 1A"),
        ("Kerkstraat", "12", "2", "Kerkstraat 12-2"),
        ("Kerkstraat", "12", "hs", "Kerkstraat 12-hs"),
        ("Plein 1944", "3", "", "Plein 1944 3"),
    ],
)
def test_street_house_number_and_addition_make_one_line_and_split_back(street, number, addition, line):
    assert house_number_join(street, number, addition) == line
    assert house_number_split(line) == {
        "street": street,
        "house_number": number,
        "house_number_addition": addition.upper() if len(addition) == 1 else addition,
    }


def test_a_dutch_address_is_stored_in_oscars_fields_and_read_back():
    typed = {"postcode": "1012 LG", "house_number": "1", "house_number_addition": "B", "street": "Damrak"}
    stored = address_to_oscar_fields("NL", {**typed, "line4": "Amsterdam", "state": "Noord-Holland"})
    assert stored == {
        "line1": "Damrak 1B",
        "line2": "",
        "line3": "",
        "line4": "Amsterdam",
        "state": "",  # the Netherlands has no province in its addresses
        "postcode": "1012 LG",
    }
    assert address_from_oscar_fields("NL", stored) == {**typed, "line4": "Amsterdam", "postcode": "1012 LG"}


def test_changing_the_country_keeps_street_number_postcode_and_city():
    dutch = {"postcode": "1012 LG", "house_number": "1", "house_number_addition": "", "street": "Damrak"}
    belgian = address_values_carry_over("NL", "BE", {**dutch, "line4": "Amsterdam"})
    assert belgian == {"line1": "Damrak 1", "line2": "", "postcode": "1012 LG", "line4": "Amsterdam"}
    back = address_values_carry_over("BE", "NL", {**belgian, "line1": "Rue Neuve 12", "postcode": "1000"})
    assert back["street"] == "Rue Neuve" and back["house_number"] == "12" and back["postcode"] == "1000"


def address(**fields):
    country = SimpleNamespace(printable_name={"NL": "Netherlands", "US": "United States"}[fields["country_id"]])
    blank = dict.fromkeys(("line1", "line2", "line3", "line4", "state", "postcode"), "")
    return SimpleNamespace(**{**blank, **fields}, country=country)


def test_addresses_print_as_their_country_writes_them():
    dutch = address(
        salutation="Anna de Vries", line1="Damrak 1A", line4="Amsterdam", postcode="1012 LG", country_id="NL"
    )
    assert address_lines(dutch) == ["Anna de Vries", "Damrak 1A", "1012 LG Amsterdam", "Netherlands"]
    american = address(
        salutation="Ann Lee",
        line1="1600 Amphitheatre Pkwy",
        line2="Building 4",
        line4="Mountain View",
        state="CA",
        postcode="94043",
        country_id="US",
    )
    assert address_lines(american) == [
        "Ann Lee",
        "1600 Amphitheatre Pkwy",
        "Building 4",
        "Mountain View, CA 94043",
        "United States",
    ]
