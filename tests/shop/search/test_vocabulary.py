"""The one-edit neighbourhood that slips are forgiven within (pure functions, no database)."""

import random

import pytest

from shop.search.backends.typos import is_forgiven
from shop.search.backends.vocabulary import closest, one_edit_variants, osa_distance


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("teapot", "teapot", 0),
        ("teapot", "teapto", 1),  # a swap of neighbours is one edit
        ("teapot", "tepot", 1),
        ("teapot", "teappot", 1),
        ("teapot", "teapit", 1),
        ("teapot", "etapto", 2),
        ("lamp", "mpla", 4),
        ("ca", "abc", 3),  # optimal string alignment: no substring is edited twice
    ],
)
def test_osa_distance(a, b, distance):
    assert osa_distance(a, b) == distance == osa_distance(b, a)


def test_the_variants_are_exactly_the_strings_one_edit_away():
    rng = random.Random(19)
    word = "teapot"
    variants = one_edit_variants(word)
    assert all(osa_distance(word, variant) == 1 for variant in variants)
    # Every slip a shopper can make with these letters is among them.
    for _ in range(500):
        slipped = list(word)
        i = rng.randrange(len(word))
        kind = rng.choice(["swap", "missing", "extra", "wrong"])
        if kind == "swap" and i < len(word) - 1:
            slipped[i], slipped[i + 1] = slipped[i + 1], slipped[i]
        elif kind == "missing":
            del slipped[i]
        elif kind == "extra":
            slipped.insert(i, rng.choice("abcdefghijklmnopqrstuvwxyzé"))
        else:
            slipped[i] = rng.choice("abcdefghijklmnopqrstuvwxyzé")
        slipped = "".join(slipped)
        assert slipped == word or slipped in variants


def test_which_words_are_forgiven():
    assert [word for word in ["tea", "lamp", "x200", "00146", "koffie", "café"] if is_forgiven(word)] == [
        "lamp",
        "koffie",
        "café",
    ]


def test_the_closest_candidates_come_first():
    assert closest("teapto", ["teapots", "teapot", "teaptop"]) == ["teapot", "teaptop", "teapots"]
