"""Oscar's own product-page features keep working on the forked page: recommended products, reviews,
wish lists and back-in-stock alerts. Each test fails if its feature drops off the page."""

import pytest
from django.test import Client
from oscar.core.loading import get_model

from tests.support.catalogue import page_of
from tests.support.checkout import product_with_stock
from tests.support.content import published_content
from tests.support.users import login, user_with_login

ProductAlert = get_model("customer", "ProductAlert")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")
ProductReview = get_model("reviews", "ProductReview")
WishList = get_model("wishlists", "WishList")

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper():
    user_with_login("shopper@example.com")
    browser = Client()
    login(browser, "shopper@example.com")
    return browser


@pytest.fixture
def kettle():
    product = product_with_stock(title="Copper kettle", price="59.00", stock=3)
    published_content(product, [("text", "<p>Hand-beaten copper.</p>")])  # with content, as merchandisers dress it
    return product


def test_a_recommended_product_shows_as_a_card(client, kettle):
    teapot = product_with_stock(title="Glass teapot", price="24.00")
    ProductRecommendation.objects.create(primary=kettle, recommendation=teapot, ranking=1)

    page = page_of(client.get(kettle.get_absolute_url()))

    assert page.find("h2", string="Recommended items") is not None
    cards = [card.h3.get_text(strip=True) for card in page.select(".product_pod")]
    assert "Glass teapot" in cards


def test_a_signed_in_shopper_reviews_the_product_and_the_review_shows(shopper, kettle):
    page = page_of(shopper.get(kettle.get_absolute_url()))
    add_review = page.find("a", href=lambda href: href and "/reviews/add/" in href)["href"]

    response = shopper.post(add_review, {"title": "Boils fast", "score": 5, "body": "Two minutes for a litre."})

    assert response.status_code == 302
    review = ProductReview.objects.get(product=kettle)
    assert review.user.email == "shopper@example.com"
    reviews = page_of(shopper.get(kettle.get_absolute_url())).select_one(".review-list").get_text()
    assert "Boils fast" in reviews


def test_a_signed_in_shopper_adds_the_product_to_a_wish_list(shopper, kettle):
    page = page_of(shopper.get(kettle.get_absolute_url()))
    form = page.find("form", id="add_to_wishlist_form")

    response = shopper.post(form["action"])

    assert response.status_code == 302
    assert list(WishList.objects.get(owner__email="shopper@example.com").lines.values_list("product", flat=True)) == [
        kettle.pk
    ]


def test_an_anonymous_shopper_is_asked_to_sign_in_for_a_wish_list(client, kettle):
    button = page_of(client.get(kettle.get_absolute_url())).select_one(".btn-wishlist")

    assert button.has_attr("disabled") and "login" in button["title"]


def test_an_out_of_stock_product_offers_a_back_in_stock_alert(shopper, kettle):
    kettle.stockrecords.update(num_in_stock=0)
    page = page_of(shopper.get(kettle.get_absolute_url()))
    assert page.find("form", id="add_to_basket_form") is None
    form = page.find("form", id="alert_form")

    response = shopper.post(form["action"])

    assert response.status_code == 302
    alert = ProductAlert.objects.get(product=kettle)
    assert alert.user.email == "shopper@example.com" and alert.is_active
    assert "active stock alert" in page_of(shopper.get(kettle.get_absolute_url())).get_text()
