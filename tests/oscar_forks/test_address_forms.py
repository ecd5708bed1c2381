"""The address forms (checkout's shipping address, the address book) follow the country chosen: the shop's own
country first and chosen, each country's fields, labels and postcodes, a country change without JavaScript that
keeps what was typed, errors tied to their fields; the order's address printed as its country writes it."""

import email
import re

import pytest
from django.template.loader import render_to_string
from oscar.core.loading import get_model

from shop.bootstrap import reference_data_ensure
from tests.support.checkout import GUEST_EMAIL, checkout_to_preview, product_with_stock
from tests.support.orders import paid_order
from tests.support.users import login, user_with_login

Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")

pytestmark = pytest.mark.django_db

URL = "/shop/checkout/shipping-address/"
NAMES = {"first_name": "Anna", "last_name": "de Vries"}


@pytest.fixture
def shopper(client):
    """A guest with a product in the basket, at the shipping address step."""
    reference_data_ensure()
    product = product_with_stock(title="Reading lamp", price="24.95")
    assert client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    assert client.post("/shop/checkout/", {"username": GUEST_EMAIL, "options": "anonymous"}).status_code == 302
    return client


def stored_address(client) -> dict:
    """The address the checkout keeps for the order (Oscar's session data): Oscar's own fields."""
    fields = client.session["checkout_data"]["shipping"]["new_address_fields"]
    return {name: fields[name] for name in ("line1", "line2", "line3", "line4", "state", "postcode", "country_id")}


def field_names(html: str) -> list[str]:
    """The names of the form's visible inputs and selects, in page order."""
    form = html[html.index('id="new_shipping_address"') :]
    form = form[: form.index("</form>")]
    return [
        name
        for tag, name in re.findall(r'<(input|select|textarea)[^>]*?name="([^"]+)"', form)
        if name not in ("csrfmiddlewaretoken", "address_country_shown")
    ]


def test_the_shops_country_comes_first_and_is_chosen_with_its_own_fields(shopper):
    html = shopper.get(URL).content.decode()

    options = re.findall(r'<option value="(\w\w)"( selected)?>', html[html.index('name="country"') :])
    assert options[0] == ("NL", " selected")
    assert [code for code, _ in options[1:3]] == ["AT", "BE"]  # then by name
    assert field_names(html) == [
        "first_name",
        "last_name",
        "country",
        "postcode",
        "house_number",
        "house_number_addition",
        "street",
        "line4",
        "phone_number",
        "notes",
    ]
    assert '<label for="id_house_number" class="col-sm-4 col-form-label">House number</label>' in html
    assert "State" not in html and "County" not in html
    assert "Update the form for this country" in html  # without JavaScript; address-form.js hides it
    assert "shop/js/address-form.js" in html


def test_a_dutch_address_by_postcode_and_house_number(shopper):
    posted = {**NAMES, "country": "NL", "postcode": "1012lg", "house_number": "1", "house_number_addition": "a"}
    response = shopper.post(URL, {**posted, "street": "Damrak", "line4": "Amsterdam"})

    assert response.status_code == 302 and response["Location"] == "/shop/checkout/shipping-method/"
    assert stored_address(shopper) == {
        "line1": "Damrak 1A",
        "line2": "",
        "line3": "",
        "line4": "Amsterdam",
        "state": "",
        "postcode": "1012 LG",
        "country_id": "NL",
    }
    # Back at the step, the form shows the address in the Dutch fields again.
    form = shopper.get(URL).context["form"]
    assert {name: form[name].value() for name in ("postcode", "house_number", "house_number_addition", "street")} == {
        "postcode": "1012 LG",
        "house_number": "1",
        "house_number_addition": "A",
        "street": "Damrak",
    }


def test_a_belgian_address_has_street_and_number_on_one_line(shopper):
    html = shopper.post(URL, {"country": "BE", "update_country": "1"}).content.decode()
    assert field_names(html)[3:7] == ["line1", "line2", "postcode", "line4"]

    posted = {**NAMES, "country": "BE", "line1": "Rue Neuve 12", "postcode": "1000", "line4": "Bruxelles"}
    response = shopper.post(URL, {**posted, "address_country_shown": "BE"})

    assert response.status_code == 302
    assert stored_address(shopper) == {
        "line1": "Rue Neuve 12",
        "line2": "",
        "line3": "",
        "line4": "Bruxelles",
        "state": "",
        "postcode": "1000",
        "country_id": "BE",
    }


def test_an_american_address_needs_its_state_and_a_zip_code_from_it(shopper):
    Country.objects.filter(pk="US").update(is_shipping_country=True)
    html = shopper.post(URL, {"country": "US", "update_country": "1"}).content.decode()
    assert field_names(html)[3:8] == ["line1", "line2", "line4", "state", "postcode"]
    assert ">ZIP code<" in html and ">State<" in html and '<option value="CA">California</option>' in html

    posted = {**NAMES, "country": "US", "address_country_shown": "US", "line1": "1600 Amphitheatre Pkwy"}
    posted.update(line4="Mountain View", postcode="94043")
    refused = shopper.post(URL, posted)
    assert refused.status_code == 200 and refused.context["form"].errors == {"state": ["Choose the state."]}
    wrong_state = shopper.post(URL, {**posted, "state": "NY"})
    assert wrong_state.context["form"].errors == {"postcode": ["ZIP code 94043 does not belong to the state chosen."]}

    assert shopper.post(URL, {**posted, "state": "CA"}).status_code == 302
    stored = stored_address(shopper)
    assert (stored["line4"], stored["state"], stored["postcode"], stored["country_id"]) == (
        "Mountain View",
        "CA",
        "94043",
        "US",
    )


def test_a_wrong_dutch_postcode_is_explained_at_its_field_and_nothing_typed_is_lost(shopper):
    posted = {**NAMES, "country": "NL", "address_country_shown": "NL", "postcode": "1012", "house_number": "1"}
    response = shopper.post(URL, {**posted, "street": "Damrak", "line4": "Amsterdam"})

    assert response.status_code == 200
    html = response.content.decode()
    message = "This is not a valid postcode here: write it like 1234 AB or 2490 AA."
    summary = html[html.index('id="address-error-summary"') :]
    assert 'role="alert"' in html[html.index("<div", html.index("data-address-errors")) :][:120]
    assert f'<a class="alert-link" href="#id_postcode">Postcode: {message}</a>' in summary[:800]
    postcode = re.search(r'<input[^>]*name="postcode"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in postcode
    assert 'aria-describedby="id_postcode_helptext id_postcode_error"' in postcode
    assert f'<div class="invalid-feedback d-block" id="id_postcode_error">{message}</div>' in html
    for name, value in (("postcode", "1012"), ("house_number", "1"), ("street", "Damrak"), ("line4", "Amsterdam")):
        assert re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"', html), name
    assert "new_address_fields" not in shopper.session.get("checkout_data", {}).get("shipping", {})


def test_changing_the_country_without_javascript_keeps_what_was_typed_and_shows_no_error(shopper):
    typed = {**NAMES, "address_country_shown": "NL", "postcode": "1012 LG", "house_number": "1", "street": "Damrak"}
    response = shopper.post(URL, {**typed, "country": "BE", "update_country": "1"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "address-error-summary" not in html and "aria-invalid" not in html and "is-invalid" not in html
    form = response.context["form"]
    assert form.country_code == "BE" and not form.is_bound
    assert {name: form[name].value() for name in ("first_name", "line1", "postcode")} == {
        "first_name": "Anna",
        "line1": "Damrak 1",
        "postcode": "1012 LG",
    }
    assert re.search(r'<option value="BE" selected>', html)
    assert re.search(r'<select name="country"[^>]*autofocus', html)  # back where the shopper was
    assert "The address fields are now those of Belgium." in html
    assert "new_address_fields" not in shopper.session.get("checkout_data", {}).get("shipping", {})

    # And back: the Belgian street line is split into the Dutch fields again.
    back = shopper.post(URL, {**NAMES, "address_country_shown": "BE", "line1": "Damrak 1", "country": "NL"})
    form = back.context["form"]
    assert (form["street"].value(), form["house_number"].value()) == ("Damrak", "1")


def test_continue_after_changing_the_country_without_updating_shows_the_new_countrys_fields_first(shopper):
    """Without JavaScript a shopper may change the country and press "Continue" straight away: the fields
    typed were the old country's, so the form comes back in the new country's fields, nothing lost."""
    typed = {**NAMES, "address_country_shown": "NL", "postcode": "1012 LG", "house_number": "1", "street": "Damrak"}
    response = shopper.post(URL, {**typed, "line4": "Amsterdam", "country": "DE"})

    assert response.status_code == 200 and not response.context["form"].errors
    form = response.context["form"]
    assert (form.country_code, form["line1"].value(), form["line4"].value()) == ("DE", "Damrak 1", "Amsterdam")


def test_the_address_book_uses_the_same_form_and_edits_a_dutch_address_in_its_fields(client):
    reference_data_ensure()
    user_with_login("anna@example.com")
    login(client, "anna@example.com")
    add = client.get("/shop/accounts/addresses/add/")
    assert add.context["form"].country_code == "NL"
    assert field_names_of(add.content.decode(), "address_form")[3:5] == ["postcode", "house_number"]

    posted = {**NAMES, "country": "NL", "address_country_shown": "NL", "postcode": "3511aa", "house_number": "9"}
    response = client.post("/shop/accounts/addresses/add/", {**posted, "street": "Oudegracht", "line4": "Utrecht"})
    assert response.status_code == 302
    address = UserAddress.objects.get()
    assert (address.line1, address.postcode, address.line4, address.state) == ("Oudegracht 9", "3511 AA", "Utrecht", "")

    edit = client.get(f"/shop/accounts/addresses/{address.pk}/")
    assert (edit.context["form"]["street"].value(), edit.context["form"]["house_number"].value()) == ("Oudegracht", "9")
    changed = client.post(f"/shop/accounts/addresses/{address.pk}/", {**posted, "country": "BE", "update_country": "1"})
    assert changed.status_code == 200 and changed.context["form"]["line1"].value() == "9"
    assert UserAddress.objects.get(pk=address.pk).country_id == "NL"  # nothing saved by a country change

    # At the checkout the saved address is offered, printed as the Netherlands writes it.
    product = product_with_stock(title="Desk lamp")
    assert client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    html = client.get(URL).content.decode()
    assert "<span>Oudegracht 9</span><br><span>3511 AA Utrecht</span>" in html


def field_names_of(html: str, form_id: str) -> list[str]:
    form = html[html.index(f'id="{form_id}"') :]
    form = form[: form.index("</form>")]
    return [
        name
        for name in re.findall(r'<(?:input|select|textarea)[^>]*?name="([^"]+)"', form)
        if name not in ("csrfmiddlewaretoken", "address_country_shown")
    ]


def test_the_orders_address_prints_as_the_country_writes_it(client, lamp, mollie, smtp_server):
    order = paid_order(client, lamp)  # the Dutch address of tests/support/checkout.py, through the form

    address = order.shipping_address
    assert (address.line1, address.postcode, address.line4, address.state) == ("Damrak 1", "1012 LG", "Amsterdam", "")
    message = email.message_from_bytes(smtp_server.messages[0].content)
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "  Anna de Vries\n  Damrak 1\n  1012 LG Amsterdam\n  Netherlands\n" in text.replace("\r\n", "\n")
    receipt = render_to_string("receipts/receipt.html", {"order": order, "customer_address": address})
    assert "Anna de Vries\nDamrak 1\n1012 LG Amsterdam\nNetherlands\n" in receipt
    page = client.get("/shop/checkout/thank-you/").content.decode()
    card = page[page.index('id="delivery-address"') :]
    assert "<address>Anna de Vries<br>Damrak 1<br>1012 LG Amsterdam<br>Netherlands<br></address>" in card[:400]


def test_the_preview_prints_the_address_as_the_country_writes_it(client, lamp, mollie):
    page = checkout_to_preview(client, lamp).content.decode()

    card = page[page.index('id="delivery-address"') :]
    assert "<address>Anna de Vries<br>Damrak 1<br>1012 LG Amsterdam<br>Netherlands<br></address>" in card[:600]
