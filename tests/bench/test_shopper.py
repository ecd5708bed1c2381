"""The benchmarks' shopper (bench/shopper.py) against the real pages: CI never runs bench/checkout.py or
bench/chaos.py, so this smoke test is what notices when a page change breaks them."""

import time

import pytest

from bench.shopper import Shopper
from bench.stack import CONFIRMATION_SUBJECT
from tests.e2e.steps import parsed

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMPTY_TOKEN = 'name="csrfmiddlewaretoken" value=""'


class ShopperWithoutScripts(Shopper):
    """A browser whose visitor.js never got its answer: the cached page's forms keep their empty token."""

    def _run_visitor_script(self, step, page):
        return page


def confirmation_to(smtp_server, recipient: str, deadline_seconds: float = 30):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        for envelope in smtp_server.messages:
            if recipient in envelope.rcpt_tos and CONFIRMATION_SUBJECT.search(parsed(envelope)["Subject"]):
                return parsed(envelope)
        time.sleep(0.2)
    raise AssertionError(f"no confirmation to {recipient} within {deadline_seconds} s")


def test_a_guest_buys_from_a_cached_product_page(live_server, settings, lamp, mollie, smtp_server, task_worker):
    settings.SHOP_BASE_URL = live_server.url
    answers = []
    shopper = Shopper(live_server.url, on_response=answers.append)

    placed = shopper.order(lamp.get_absolute_url(), "bench.guest@example.com")

    product_page = next(a for a in answers if a.url == live_server.url + lamp.get_absolute_url())
    assert product_page.headers["X-Page-Cache"] == "miss"  # rendered to be cached: the form has no token
    assert EMPTY_TOKEN in product_page.text
    assert any("/shop/visitor/?product=" in a.url and a.status_code == 200 for a in answers)
    assert shopper.paid == [(placed.number, shopper.paid[0][1])]
    message = confirmation_to(smtp_server, "bench.guest@example.com")
    assert placed.number in message["Subject"]


def test_without_the_visitor_token_the_shopper_adds_to_the_basket_in_one_step(live_server, lamp):
    answers = []
    shopper = ShopperWithoutScripts(live_server.url, on_response=answers.append)

    basket = shopper.add_to_basket(lamp.get_absolute_url())

    assert "Reading lamp" in basket
    assert [a.status_code for a in answers if "/shop/basket/add/" in a.url] == [302]
