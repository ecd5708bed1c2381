"""The header's language menu works without JavaScript: each language is a button posting to set_language, and the
page's `lang` follows the language chosen."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def test_each_language_is_a_button_of_a_form_posting_to_set_language(client):
    page = BeautifulSoup(client.get("/shop/basket/").content, "html.parser")
    assert page.html["lang"] == "en"
    menu = page.select_one("details.language-menu")
    assert menu.summary.get_text(" ", strip=True) == "Language: English"
    buttons = menu.select("form[method=post] button[name=language]")
    assert [(b["value"], b.get_text(strip=True), b.get("aria-current")) for b in buttons] == [
        ("en", "English", "true"),
        ("nl", "Nederlands", None),
    ]
    assert {b.find_parent("form")["action"] for b in buttons} == {"/i18n/setlang/"}
    assert not page.select("#language_selector, select[name=language]"), "no select with a Go button"


def test_choosing_dutch_sets_the_page_language_to_dutch(client):
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/shop/basket/"})
    assert (response.status_code, response["Location"]) == (302, "/shop/basket/")
    page = BeautifulSoup(client.get("/shop/basket/").content, "html.parser")
    assert page.html["lang"] == "nl"
    assert page.select_one("details.language-menu summary [lang]").get_text(strip=True) == "Nederlands"
