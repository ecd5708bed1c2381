"""Dashboard edits reach the search index through an outbox task on the `search` queue."""

import dramatiq
import pytest
from haystack.query import SearchQuerySet
from oscar.core.loading import get_model

from shop.outbox.models import OutboxMessage

Product = get_model("catalogue", "Product")


def run_outbox_tasks():
    """Do what the relay and a worker would: run every recorded task once."""
    broker = dramatiq.get_broker()
    for row in OutboxMessage.objects.order_by("pk"):
        broker.get_actor(row.actor_name).fn(*row.args, **row.kwargs)


def found(word):
    return {int(result.pk) for result in SearchQuerySet().models(Product).auto_query(word)}


def test_a_renamed_product_is_found_by_its_new_title(search_index):
    product = Product.objects.get(upc="DEMO-000004")
    assert product.pk not in found("Zeppelin")

    product.title = "Zeppelin Teapot"
    product.save()

    row = OutboxMessage.objects.get()
    assert (row.actor_name, row.queue_name, row.args) == ("reindex_product", "search", [product.pk])
    run_outbox_tasks()
    assert product.pk in found("Zeppelin")


def test_a_hidden_product_leaves_the_index(search_index):
    product = Product.objects.get(upc="DEMO-000005")
    word = product.title.split()[-1]  # the unique serial number
    assert product.pk in found(word)

    product.is_public = False
    product.save()
    run_outbox_tasks()

    assert product.pk not in found(word)


@pytest.mark.django_db
def test_the_rebuild_command_indexes_every_browsable_product_and_drops_hidden_ones(search_engine):
    from io import StringIO

    from django.core.management import call_command
    from oscar.test.factories import create_product

    shown = [create_product(title=f"Rebuilt lamp {n}", price=10, num_in_stock=1) for n in range(5)]
    hidden = create_product(title="Rebuilt lamp hidden", price=10, num_in_stock=1)
    call_command("rebuild_search_index", verbosity=0)
    hidden.is_public = False
    hidden.save()  # the search queue would drop it; the rebuild must too

    out = StringIO()
    call_command("rebuild_search_index", "--batch-size", "2", stdout=out)

    found = {int(result.pk) for result in SearchQuerySet().models(Product).filter(content="rebuilt")}
    assert found == {product.pk for product in shown}
    assert "5 products indexed" in out.getvalue()
