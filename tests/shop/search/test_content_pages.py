"""A keyword search shows the editors' pages that match too, after the products."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import ContentPage, HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def returns_page(demo_shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail indexes the page after commit
        page = HomePage.objects.get().add_child(
            instance=ContentPage(title="Returns and refunds", slug="returns", intro="Send it back within 30 days.")
        )
        page.save_revision().publish()
    return page


def test_matching_pages_are_listed_after_the_products(client, returns_page, search_index):
    html = client.get("/shop/search/", {"q": "returns"}).content.decode()

    assert 'id="content-page-results"' in html
    assert 'href="/returns/"' in html and "Returns and refunds" in html


def test_a_draft_page_is_never_listed(client, returns_page, search_index):
    returns_page.unpublish()

    html = client.get("/shop/search/", {"q": "returns"}).content.decode()

    assert "Returns and refunds" not in html


def test_browsing_the_catalogue_lists_no_pages(client, returns_page, search_index):
    html = client.get("/shop/catalogue/").content.decode()

    assert 'id="content-page-results"' not in html


def test_pages_in_results_cost_the_same_queries_for_one_page_or_three(
    client, demo_shop, search_index, django_capture_on_commit_callbacks
):
    home = HomePage.objects.get()

    def add_page(number):
        with django_capture_on_commit_callbacks(execute=True):
            page = home.add_child(instance=ContentPage(title=f"Warranty {number}", slug=f"warranty-{number}"))
            page.save_revision().publish()

    def queries():
        client.get("/shop/search/", {"q": "warranty"})
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/shop/search/", {"q": "warranty"}).content.decode()
        return len(captured.captured_queries), html.count('href="/warranty-')

    add_page(1)
    one = queries()
    add_page(2)
    add_page(3)
    three = queries()

    assert (one[1], three[1]) == (1, 3)
    assert one[0] == three[0]
