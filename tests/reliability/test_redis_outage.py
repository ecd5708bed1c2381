"""Drill: the cache's and the broker's Redis stop. The storefront keeps answering from the database,
shoppers sign in and buy, and the order's tasks wait in the outbox until Redis is back."""

import pytest
from oscar.core.loading import get_model

from shop.outbox.models import OutboxMessage
from shop.outbox.services import outbox_relay
from tests.support.checkout import checkout_to_preview, place_order
from tests.support.users import login, user_with_login

Category = get_model("catalogue", "Category")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")


@pytest.fixture
def cache_on_private_redis(settings, private_redis):
    """The cache (and cached_db sessions, as in production) on the Redis server this test stops."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": private_redis.url.replace("/0", "/2")}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return private_redis


def storefront_pages():
    product = Product.objects.filter(upc="DEMO-000000").get()
    category = Category.objects.filter(depth=1).first()
    return ["/", product.get_absolute_url(), category.cms_page.url, "/shop/search/?q=book", "/shop/catalogue/"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_storefront_and_checkout_work_while_redis_is_down(
    client, demo_shop, search_index, cache_on_private_redis, redis_broker, mollie
):
    pages = storefront_pages()
    for url in pages:  # warm: pages, versions and sessions in the cache
        assert client.get(url).status_code == 200, url
    user_with_login("shopper-outage@example.com")
    product = Product.objects.filter(upc="DEMO-000000").get()

    cache_on_private_redis.stop()

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code} with Redis down"
        assert response.get("X-Page-Cache") != "hit"
    assert client.get("/shop/visitor/").status_code == 200
    login(client, "shopper-outage@example.com")
    profile = client.get("/shop/accounts/profile/")
    assert profile.status_code == 200 and "shopper-outage@example.com" in profile.content.decode(), "signed in"
    checkout_to_preview(client, product, guest_email=None)
    response = place_order(client)
    assert response.status_code == 302 and response["Location"].startswith(mollie.url), "off to pay at Mollie"
    order = Order.objects.get(user__email="shopper-outage@example.com")
    assert order.status == "Pending payment"

    waiting = OutboxMessage.objects.filter(published_at__isnull=True).count()
    assert waiting >= 1, "the order's tasks wait in the outbox"

    cache_on_private_redis.start()
    assert outbox_relay() == waiting
    assert client.get(pages[1]).status_code == 200
