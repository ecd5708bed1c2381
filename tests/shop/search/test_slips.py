"""Issue 19's measure of forgiving search, over the demo catalogue's titles ("Quiet Lamp 00042"): for each kind
of slip, in one word of a two- or three-word query taken from a title, how often the product is among the first
three results. Prints the table (`pytest -s`).

Deterministic: the products, the query's words, the slipped word, its position and any letter put in come from
one seeded generator. The slipped word is one the search forgives (typos.py): four letters or more once slipped
(a missing letter is measured on words of five letters or more), never a number. A query whose exact form does
not already put the product in the first three (another product with the same words) is not counted: this
measures the slips, not ties.
"""

import random
import string

import pytest
from django.core.management import call_command
from haystack.query import SearchQuerySet
from oscar.core.loading import get_model

from shop.search.backends.typos import MIN_FORGIVEN_LENGTH, is_forgiven

Product = get_model("catalogue", "Product")

KINDS = ("swap", "missing", "extra", "wrong")
SAMPLES = 60  # per kind
AIM = 0.95


def slip(word: str, kind: str, rng: random.Random) -> str:
    if kind == "swap":
        positions = [i for i in range(len(word) - 1) if word[i] != word[i + 1]]
        i = rng.choice(positions)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "missing":
        i = rng.randrange(len(word))
        return word[:i] + word[i + 1 :]
    if kind == "extra":
        i = rng.randrange(len(word) + 1)
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i:]
    i = rng.randrange(len(word))
    return word[:i] + rng.choice([c for c in string.ascii_lowercase if c != word[i]]) + word[i + 1 :]


def slippable(word: str, kind: str) -> bool:
    shortest = MIN_FORGIVEN_LENGTH + (1 if kind == "missing" else 0)
    return word.isalpha() and len(word) >= shortest and is_forgiven(word)


def top_three(query: str) -> list[int]:
    return [int(result.pk) for result in SearchQuerySet().models(Product).auto_query(query)[:3]]


def query_with_a_slip(title: str, kind: str, rng: random.Random) -> tuple[str, str] | None:
    """(the query as taken from the title, the same with one slip), or None if the title has no word to slip."""
    words = title.lower().split()
    shapes = [[0, 1], [0, 1, 2], [1, 2], [0, 2]]  # "quiet lamp", "quiet lamp 00042", "lamp 00042", "quiet 00042"
    shape = rng.choice(shapes)
    query = [words[i] for i in shape if i < len(words)]
    candidates = [i for i, word in enumerate(query) if slippable(word, kind)]
    if len(query) < 2 or not candidates:
        return None
    i = rng.choice(candidates)
    slipped = [*query]
    slipped[i] = slip(query[i], kind, rng)
    return " ".join(query), " ".join(slipped)


@pytest.mark.django_db
def test_slips_in_demo_titles_find_the_product_in_the_top_three(search_engine):
    call_command("load_demo_shop", products=200, no_index=True, verbosity=0)
    call_command("update_index", "catalogue", remove=True, verbosity=0)
    products = list(Product.objects.browsable().order_by("pk").values_list("pk", "title"))
    rng = random.Random(19)

    table, misses = {}, {}
    for kind in KINDS:
        found = counted = untied = 0
        misses[kind] = []
        while counted < SAMPLES:
            pk, title = rng.choice(products)
            queries = query_with_a_slip(title, kind, rng)
            if queries is None:
                continue
            exact, slipped = queries
            if pk not in top_three(exact):
                untied += 1
                continue
            counted += 1
            if pk in top_three(slipped):
                found += 1
            else:
                misses[kind].append(f"{slipped!r} for {title!r}")
        table[kind] = (found, counted, untied)

    print("\nslip        found / counted    in top 3   (exact query not in top 3: not counted)")
    for kind, (found, counted, untied) in table.items():
        print(f"{kind:10} {found:6} / {counted:<8} {found / counted:8.1%}   {untied}")
    for kind, (found, counted, _) in table.items():
        assert found / counted >= AIM, f"{kind}: {found}/{counted}; missed {misses[kind]}"
