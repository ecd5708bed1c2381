"""Keyword searches and the search box's suggestions are throttled per client (SHOP_SEARCH_RATE a minute, each
counted apart): past the limit the shop's 429 page, nothing recorded, and other clients search on."""

import pytest
from django.test import Client
from oscar.core.loading import get_model

from tests.support.users import login, user_with_login

UserSearch = get_model("analytics", "UserSearch")

pytestmark = pytest.mark.django_db

TOO_MANY_SEARCHES = "Too many searches from your connection"


def test_past_the_rate_a_client_gets_the_429_page_and_its_search_is_not_recorded(settings, lamp):
    settings.SHOP_SEARCH_RATE = 3
    user_with_login("searcher@example.com")
    searcher = Client(REMOTE_ADDR="203.0.113.9")
    login(searcher, "searcher@example.com")
    for _ in range(3):
        assert searcher.get("/shop/search/", {"q": "lamp"}).status_code == 200
    assert UserSearch.objects.count() == 3  # Oscar records each signed-in search

    refused = searcher.get("/shop/search/", {"q": "lamp"})

    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert TOO_MANY_SEARCHES in refused.content.decode()
    assert [template.name for template in refused.templates][0] == "429.html"
    assert UserSearch.objects.count() == 3
    # Another client searches on; the same client still browses (no keywords: not a search).
    assert Client(REMOTE_ADDR="198.51.100.20").get("/shop/search/", {"q": "lamp"}).status_code == 200
    assert searcher.get("/shop/catalogue/").status_code == 200


def test_an_ipv6_client_counts_by_its_64(settings, lamp):
    settings.SHOP_SEARCH_RATE = 2
    for host in ("1", "2"):
        assert Client(REMOTE_ADDR=f"2001:db8:5:7::{host}").get("/shop/search/", {"q": "lamp"}).status_code == 200

    assert Client(REMOTE_ADDR="2001:db8:5:7::3").get("/shop/search/", {"q": "lamp"}).status_code == 429
    assert Client(REMOTE_ADDR="2001:db8:5:8::1").get("/shop/search/", {"q": "lamp"}).status_code == 200


def test_suggestions_are_counted_apart_from_searches_and_refused_with_the_429_page(settings, lamp):
    settings.SHOP_SEARCH_RATE = 2
    typist = Client(REMOTE_ADDR="203.0.113.9")
    for text in ("la", "lam"):
        response = typist.get("/shop/search/autocomplete/", {"q": text})
        assert response.status_code == 200 and "public" in response["Cache-Control"]

    refused = typist.get("/shop/search/autocomplete/", {"q": "lamp"})

    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert TOO_MANY_SEARCHES in refused.content.decode()
    assert "public" not in refused.get("Cache-Control", "")  # no shared cache keeps the refusal
    assert typist.get("/shop/search/", {"q": "lamp"}).status_code == 200  # searches have their own count
    assert Client(REMOTE_ADDR="198.51.100.20").get("/shop/search/autocomplete/", {"q": "la"}).status_code == 200
