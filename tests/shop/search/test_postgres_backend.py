"""The PostgreSQL backend beyond what a shopper's search uses (test_search_behaviour.py): query and date
facets, transactional writes, its tables and indexes, more-like-this, highlighting, and how it treats bad
queries."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from haystack import connections
from haystack.exceptions import SearchBackendError
from haystack.query import SearchQuerySet
from oscar.apps.search.facets import FacetMunger
from oscar.core.loading import get_model

from shop.search.models import SearchDocument, SearchWord

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

# Oscar's default price-range facet (oscar.defaults.OSCAR_SEARCH_FACETS)
PRICE_RANGES = [("0 to 20", "[0 TO 20]"), ("20 to 40", "[20 TO 40]"), ("40 to 60", "[40 TO 60]"), ("60+", "[60 TO *]")]


def search():
    return SearchQuerySet().models(Product)


def pks(results):
    return [int(result.pk) for result in results]


def price_of(product):
    return product.stockrecords.get().price


def test_price_range_query_facets_equal_database_counts_as_oscar_reads_them(catalogue, settings):
    sqs = search()
    for _name, query in PRICE_RANGES:
        sqs = sqs.query_facet("price", query)
    prices = [record.price for record in StockRecord.objects.filter(product__in=catalogue)]
    settings.OSCAR_SEARCH_FACETS = {
        "fields": {},
        "queries": {"price_range": {"name": "Price range", "field": "price", "queries": PRICE_RANGES}},
    }

    facet_data = FacetMunger("/search/", {}, sqs.facet_counts(), query_type=type(sqs.query)).facet_data()

    counts = {datum["name"]: datum["count"] for datum in facet_data["price_range"]["results"]}
    assert counts == {
        "0 to 20": sum(1 for p in prices if p <= 20),
        "20 to 40": sum(1 for p in prices if 20 <= p <= 40),
        "40 to 60": sum(1 for p in prices if 40 <= p <= 60),
        "60+": sum(1 for p in prices if p >= 60),
    }


def test_narrow_by_a_price_range_as_oscars_form_writes_it(catalogue):
    results = search().narrow("price:([0 TO 20] OR [200 TO *])").order_by("price")

    expected = sorted((p for p in catalogue if price_of(p) <= 20 or price_of(p) >= 200), key=price_of)
    assert pks(results) == [p.pk for p in expected]


def test_date_facets_count_per_gap(catalogue):
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    sqs = search().date_facet(
        "date_created", start_date=today - timedelta(days=2), end_date=today + timedelta(days=1), gap_by="day"
    )

    buckets = sqs.facet_counts()["dates"]["date_created"]

    assert [count for _start, count in buckets] == [0, 0, len(catalogue)]


def test_open_ended_pages(catalogue):
    everything = pks(search().order_by("price"))

    assert pks(search().order_by("price")[6:]) == everything[6:]


def test_reindexing_replaces_the_document(catalogue):
    teapot = Product.objects.get(title="Ceramic Teapot")
    teapot.title = "Stoneware Teapot"
    teapot.save()

    connections["default"].get_unified_index().get_index(Product).update_object(teapot)

    assert SearchDocument.objects.filter(id=f"catalogue.product.{teapot.pk}").count() == 1
    assert pks(search().auto_query("stoneware")) == [teapot.pk]
    assert pks(search().auto_query("ceramic")) == []


def test_index_writes_roll_back_with_the_transaction(catalogue):
    lamp = Product.objects.get(title="Brass Desk Lamp")
    index = connections["default"].get_unified_index().get_index(Product)

    with pytest.raises(RuntimeError), transaction.atomic():
        index.remove_object(lamp)
        assert pks(search().auto_query("lamp")) == []
        raise RuntimeError("the order of events failed")

    assert pks(search().auto_query("lamp")) == [lamp.pk]


def test_clearing_the_index_empties_documents_and_vocabulary(catalogue):
    backend = connections["default"].get_backend()
    assert SearchWord.objects.filter(word="teapot").exists()

    backend.clear(models=[Product])
    assert search().count() == 0
    assert SearchWord.objects.exists()  # words go with a full clear only

    backend.clear()
    assert not SearchWord.objects.exists()


def test_the_migration_creates_pg_trgm_and_the_gin_indexes(db, search_engine):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN (%s, %s)",
            [SearchDocument._meta.db_table, SearchWord._meta.db_table],
        )
        definitions = dict(cursor.fetchall())

    assert "USING gin (search_vector)" in definitions["search_doc_vector_gin"]
    assert "gin_trgm_ops" in definitions["search_doc_fuzzy_trgm"]
    assert "gin_trgm_ops" in definitions["search_word_trgm"]
    assert "USING gin (data)" in definitions["search_doc_data_gin"]


def test_title_words_rank_above_description_words(catalogue):
    # "walnut" is the board's title word; the teapot only mentions "teapot" in both.
    board = Product.objects.get(title="Walnut Serving Board")
    lamp = Product.objects.get(title="Brass Desk Lamp")  # "brass" in the title
    bag = Product.objects.get(title="Leather Weekend Bag")  # "brass buckles" in the description

    assert pks(search().auto_query("brass")) == [lamp.pk, bag.pk]
    assert pks(search().auto_query("walnut")) == [board.pk]


def test_more_like_this(catalogue):
    speaker = Product.objects.get(title="Bluetooth Speaker")
    headphones = Product.objects.get(title="Noise Cancelling Headphones")

    similar = pks(search().more_like_this(speaker))

    assert speaker.pk not in similar
    assert similar[0] == headphones.pk  # same category path and words


def test_highlighting(catalogue):
    (result,) = search().auto_query("saucers").highlight()

    assert "<em>saucers</em>" in result.highlighted["text"][0]


def test_an_unparsable_narrow_finds_nothing_or_raises(catalogue):
    assert pks(search().narrow("category_name:(unclosed")) == []

    backend = connections["default"].get_backend()
    backend.silently_fail = False
    with pytest.raises(SearchBackendError):
        backend.search("category_name:(unclosed")


def test_reserved_characters_in_a_search_box_are_words(catalogue):
    teapot = Product.objects.get(title="Ceramic Teapot")

    assert pks(search().auto_query('teapot: (four) [cups] "glazed" ~^*')) == [teapot.pk]


def test_prices_are_typed_so_ranges_compare_numbers(catalogue):
    expected = Counter(Decimal("100") <= price_of(p) < Decimal("1000") for p in catalogue)[True]

    assert search().filter(price__gte=100, price__lt=1000).count() == expected  # "89.00" < "100" as text
