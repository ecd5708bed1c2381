"""What a shopper's search does, over the small catalogue of conftest.py, checked
against what the database says.
"""

import json
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from haystack.query import SearchQuerySet
from oscar.apps.search.forms import SearchForm
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from shop.search.price_bands import price_band
from shop.search.services import product_index_refresh
from shop.search.views import autocomplete

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def search(text=None):
    sqs = SearchQuerySet().models(Product)
    return sqs.auto_query(text) if text is not None else sqs


def pks(results):
    return [int(result.pk) for result in results]


def expected_categories(products):
    """{category path: public products in it}, from the database."""
    counts = Counter()
    for category in Category.objects.all():
        n = category.product_set.filter(pk__in=[p.pk for p in products], is_public=True).count()
        if n:
            counts[category.full_name] = n
    return counts


def expected_price_bands(products):
    records = StockRecord.objects.filter(product__in=products, product__is_public=True)
    return Counter(price_band(record.price) for record in records)


def facet_counts(sqs, field):
    return dict(sqs.facet_counts()["fields"][field])


def test_facet_counts_equal_the_database_counts(catalogue):
    sqs = search().facet("category_name").facet("price_band")

    assert facet_counts(sqs, "category_name") == expected_categories(catalogue)
    assert facet_counts(sqs, "price_band") == expected_price_bands(catalogue)


def test_facet_counts_follow_the_search(catalogue):
    sqs = search("cups").facet("category_name").facet("price_band")
    matching = list(Product.objects.filter(Q(title__icontains="cups") | Q(description__icontains="cups")))

    assert sorted(pks(sqs)) == sorted(p.pk for p in matching)
    assert facet_counts(sqs, "category_name") == expected_categories(matching)
    assert facet_counts(sqs, "price_band") == expected_price_bands(matching)


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("Ceramic Teapto", "Ceramic Teapot"),  # two letters swapped: one transposition
        ("Walnut Servng Board", "Walnut Serving Board"),
        ("espreso cups", "Espresso Cups"),
        ("bluetoth", "Bluetooth Speaker"),
        ("headphonse", "Noise Cancelling Headphones"),
    ],
)
def test_a_title_with_a_typo_finds_the_product_in_the_top_three(catalogue, typed, title):
    product = Product.objects.get(title=title)

    assert product.pk in pks(search(typed)[:3])


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("walnut borad", "Walnut Serving Board"),  # a swap beside a correct word
        ("noise cancelling headphnes", "Noise Cancelling Headphones"),  # a letter left out
        ("ceramic teappot", "Ceramic Teapot"),  # one too many
        ("linen tablecloht", "Linen Tablecloth"),
        ("woollen scraf", "Woollen Scarf"),
        ("wlanut serving", "Walnut Serving Board"),  # the first two letters swapped
        ("bluetooht speaker", "Bluetooth Speaker"),
    ],
)
def test_one_slip_beside_correct_words_finds_the_product_first(catalogue, typed, title):
    assert pks(search(typed))[:1] == [Product.objects.get(title=title).pk]


@pytest.mark.parametrize("typed", ["leather weekend bga", "brass dsk lamp"])
def test_a_word_of_three_letters_is_not_forgiven(catalogue, typed):
    assert pks(search(typed)) == []


def test_exact_words_rank_above_forgiven_ones(catalogue):
    lamp = Product.objects.get(title="Brass Desk Lamp")
    bag = Product.objects.get(title="Leather Weekend Bag")  # "… with brass buckles"
    grass = create_product(upc="SEARCH-GRASS", title="Grass Seed Mix", product_class="Homeware", num_in_stock=5)
    product_index_refresh(product_id=grass.pk)

    assert pks(search("brass")) == [lamp.pk, bag.pk, grass.pk]  # "grass" is one edit from "brass"
    assert pks(search("grass")) == [grass.pk, lamp.pk, bag.pk]  # "brass" is one from "grass": a title first
    assert pks(search("brass lamp")) == [lamp.pk]  # each word must match, as typed or forgiven


def test_numbers_codes_and_short_words_stay_exact(catalogue):
    products = {}
    for upc, title in [
        ("SEARCH-X200", "Radio x200"),
        ("SEARCH-X300", "Radio x300"),
        ("SEARCH-BOG", "Peat Bog Planter"),
    ]:
        products[title] = create_product(upc=upc, title=title, product_class="Homeware", num_in_stock=5)
        product_index_refresh(product_id=products[title].pk)
    bag = Product.objects.get(title="Leather Weekend Bag")

    assert pks(search("x200")) == [products["Radio x200"].pk]
    assert pks(search("radio 2000")) == []
    assert pks(search("SEARCH-001")) == [Product.objects.get(title="Walnut Serving Board").pk]
    assert pks(search("bag")) == [bag.pk]  # not the bog
    assert pks(search("quiet")) == [Product.objects.get(title="Noise Cancelling Headphones").pk]


def test_phrases_and_exclusions_from_the_search_box(catalogue):
    board = Product.objects.get(title="Walnut Serving Board")
    kitchen = {p.pk for p in catalogue if p.categories.filter(name="Kitchen").exists()}

    assert pks(search('"serving board"')) == [board.pk]
    assert set(pks(search("kitchen -walnut"))) == kitchen - {board.pk}


def test_stop_words_do_not_stop_a_search(catalogue):
    assert pks(search("the teapot")) == [Product.objects.get(title="Ceramic Teapot").pk]


@pytest.mark.parametrize(
    ("order_by", "key", "reverse"),
    [
        ("price", lambda p: p.stockrecords.get().price, False),
        ("-price", lambda p: p.stockrecords.get().price, True),
        ("title_exact", lambda p: p.title.lower(), False),  # Oscar's "Title A to Z"
        ("-title_exact", lambda p: p.title.lower(), True),
        ("-date_created", lambda p: p.date_created, True),  # Oscar's "Newest"
    ],
)
def test_sorting(catalogue, order_by, key, reverse):
    expected = [p.pk for p in sorted(catalogue, key=key, reverse=reverse)]

    assert pks(search().order_by(order_by)) == expected


def test_pages_and_hit_count(catalogue):
    sqs = search().order_by("price")
    everything = pks(sqs)

    assert sqs.count() == len(catalogue) == len(everything)
    assert pks(sqs[2:5]) == everything[2:5]
    assert pks(search().order_by("price")[6:9]) == everything[6:9]


@pytest.mark.parametrize(
    "selected",
    [
        ["category_name:Home > Kitchen"],
        ["category_name:Home > Kitchen", "category_name:Electronics > Audio"],  # OR within a facet
        ["price_band:€20 to €50"],
        ["category_name:Home > Kitchen", "price_band:Under €20"],  # AND across facets
    ],
)
def test_narrowing_by_a_facet_as_oscars_search_form_does(catalogue, selected):
    form = SearchForm({"q": "", "sort_by": "price-asc"}, selected_facets=selected, searchqueryset=search())
    form.no_query_found = lambda: form.searchqueryset  # browse, as Oscar's category pages do
    wanted = {}
    for facet in selected:
        field, value = facet.split(":", 1)
        wanted.setdefault(field, set()).add(value)

    expected = [
        p.pk
        for p in sorted(catalogue, key=lambda p: p.stockrecords.get().price)
        if (not wanted.get("category_name") or {c.full_name for c in p.categories.all()} & wanted["category_name"])
        and (not wanted.get("price_band") or price_band(p.stockrecords.get().price) in wanted["price_band"])
    ]
    assert expected
    assert pks(form.search()) == expected


def test_narrow_on_the_exact_facet_field(catalogue):
    sqs = search().narrow('category_name_exact:"Clothing > Accessories"')

    assert sorted(pks(sqs)) == sorted(p.pk for p in catalogue if p.title in ("Woollen Scarf", "Leather Weekend Bag"))


def test_category_pages_filter_by_category_id(catalogue):
    # Oscar's CategoryForm: sqs.filter(category__in=[ids of the category and its descendants]).
    kitchen = Category.objects.get(name="Kitchen")
    expected = sorted(kitchen.product_set.filter(is_public=True).values_list("pk", flat=True))

    assert sorted(pks(search().filter(category__in=[kitchen.pk]))) == expected


def test_search_finds_category_names_attribute_values_and_upc(catalogue):
    teapot = Product.objects.get(title="Ceramic Teapot")

    assert pks(search("SEARCH-000")) == [teapot.pk]
    assert set(pks(search("accessories"))) == {p.pk for p in catalogue if "Bag" in p.title or "Scarf" in p.title}


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("walnot", "walnut"),
        ("linnen", "linen"),
        ("ceramic teapt", "ceramic teapot"),
        ("Ceramic Teapto", "Ceramic Teapot"),  # the typed phrase, its case kept, the slip corrected
        ("WALNUT BAORD", "WALNUT BOARD"),
        ("espresso cups", None),  # nothing to correct
        ("linen xyzzy", None),  # nothing near enough
    ],
)
def test_did_you_mean(catalogue, typed, suggested):
    assert search().spelling_suggestion(typed) == suggested


def test_did_you_mean_and_a_search_cost_the_same_queries_for_one_word_or_four(catalogue):
    def queries(text):
        with CaptureQueriesContext(connection) as captured:
            sqs = search(text)
            sqs.count()
            list(sqs[:3])
            sqs.spelling_suggestion(text)
        return len(captured.captured_queries)

    assert queries("teapto") == queries("ceramc teapto walnut bord") == queries("ceramic teapot")


def test_autocomplete_completes_title_words(catalogue):
    teapot = Product.objects.get(title="Ceramic Teapot")

    assert pks(SearchQuerySet().models(Product).autocomplete(title="tea")) == [teapot.pk]
    assert pks(SearchQuerySet().models(Product).autocomplete(title="cer tea")) == [teapot.pk]


def test_a_deleted_product_leaves_the_index(catalogue):
    scarf = Product.objects.get(title="Woollen Scarf")
    assert pks(search("scarf")) == [scarf.pk]
    product_id = scarf.pk

    scarf.delete()
    assert product_index_refresh(product_id=product_id) == "removed"

    assert pks(search("scarf")) == []
    assert search().count() == len(catalogue) - 1


def test_hidden_products_are_not_indexed(catalogue):
    assert pks(search("vase")) == []


def test_the_search_page_finds_through_a_slip_and_offers_the_corrected_phrase(catalogue, client):
    teapot = Product.objects.get(title="Ceramic Teapot")

    response = client.get("/shop/search/", {"q": "Ceramic Teapto & more"})

    assert response.status_code == 200
    assert pks(response.context["page_obj"].object_list) == [teapot.pk]
    html = response.content.decode()
    assert 'Did you mean <a href="/shop/search/?q=Ceramic+Teapot+%26+more">Ceramic Teapot &amp; more</a>?' in html
    assert "Did you mean" not in client.get("/shop/search/", {"q": "ceramic teapot"}).content.decode()


def test_the_search_page_says_did_you_mean_when_nothing_is_found(catalogue, client):
    html = client.get("/shop/search/", {"q": "walnut serving bord 00"}).content.decode()

    assert "Found <strong>0</strong> results." in html
    assert html.count("Did you mean") == 1
    assert 'href="/shop/search/?q=walnut+serving+board+00">walnut serving board 00</a>' in html


def test_the_autocomplete_endpoint(catalogue, rf):
    teapot = Product.objects.get(title="Ceramic Teapot")

    response = autocomplete(rf.get("/search/autocomplete/", {"q": "cer te"}))

    assert response.status_code == 200
    assert json.loads(response.content) == {"results": [{"title": "Ceramic Teapot", "url": teapot.get_absolute_url()}]}
    assert json.loads(autocomplete(rf.get("/search/autocomplete/", {"q": "c"})).content) == {"results": []}
