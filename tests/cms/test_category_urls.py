"""A category's live Wagtail page is its canonical address: Oscar's category URL leads there."""

import pytest
from oscar.core.loading import get_model

from cms.bootstrap import home_page_ensure
from cms.models import CategoryPage

Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


def oscar_url(category) -> str:
    return category.get_absolute_url()


def test_oscar_category_url_redirects_to_the_live_page(client):
    home_page_ensure()
    fiction = Category.add_root(name="Books").add_child(name="Fiction")

    response = client.get(oscar_url(fiction))

    assert oscar_url(fiction).startswith("/shop/catalogue/category/books/fiction_")
    assert (response.status_code, response["Location"]) == (302, "/books/fiction/")


def test_a_listing_query_goes_along_to_the_page_and_an_old_slug_still_finds_the_page(client):
    home_page_ensure()
    books = Category.add_root(name="Books")

    response = client.get(f"{oscar_url(books)}?sort_by=price-asc&page=2")
    assert response["Location"] == "/books/?sort_by=price-asc&page=2"
    response = client.get(f"/shop/catalogue/category/old-name_{books.pk}/")
    assert response["Location"] == "/books/"


def test_without_a_live_page_oscars_own_category_page_answers(client):
    home_page_ensure()
    books = Category.add_root(name="Books")
    CategoryPage.objects.get(category=books).unpublish()

    response = client.get(oscar_url(books))

    assert response.status_code == 200
    assert response.templates[0].name == "oscar/catalogue/category.html"


def test_the_page_is_oscars_listing_of_the_category_and_its_old_listing_address_leads_there(client):
    home_page_ensure()
    books = Category.add_root(name="Books")

    response = client.get("/books/")

    assert response.status_code == 200
    assert response.templates[0].name == "cms/category_page.html"
    assert response.context["category"] == books and response.context["page"].category == books
    response = client.get("/books/products/?sort_by=price-asc")
    assert (response.status_code, response["Location"]) == (301, "/books/?sort_by=price-asc")
