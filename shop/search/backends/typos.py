"""Typo tolerance: when the free text finds (almost) nothing, search again with every
free-text word fuzzy.

The second search goes through haystack's own `content__fuzzy` filter, which the
backend implements with trigram word similarity (`WordSimilar`, expressions.py). So the
policy lives here, apart from the backend, and the backend stays honest: an explicit
query means what it says, only the free text of a search box is widened.
"""

import operator
import re
from functools import reduce

from django.utils import tree
from haystack import connections
from haystack.backends import SQ
from haystack.inputs import AutoQuery, Clean

FALLBACK_BELOW = 1  # fewer hits than this: search again, fuzzily (connection option FUZZY_FALLBACK_BELOW)
MIN_FUZZY_LENGTH = 3  # shorter words stay exact: "tv~" would match every two-letter word
PHRASES = AutoQuery.exact_match_re


class TypoTolerantQuery:
    """Mixin for a haystack SearchQuery class."""

    def run(self, spelling_query=None, **kwargs):
        super().run(spelling_query=spelling_query, **kwargs)
        below = connections[self._using].options.get("FUZZY_FALLBACK_BELOW", FALLBACK_BELOW)
        if self._hit_count >= below:
            return
        fuzzy_filter = fuzzy_variant(self.query_filter)
        if fuzzy_filter is None:
            return
        exact_filter, suggestion = self.query_filter, self._spelling_suggestion
        self.query_filter = fuzzy_filter
        try:
            super().run(spelling_query=spelling_query, **kwargs)
        finally:
            self.query_filter = exact_filter
            self._spelling_suggestion = suggestion  # about what was typed, not the fuzzy query


def fuzzy_variant(node):
    """A copy of the filter tree with free-text words made fuzzy, or None if it has none."""
    if node.negated:
        return None  # widening a NOT would exclude more, not find more
    changed, children = False, []
    for child in node.children:
        if isinstance(child, tree.Node):
            replacement = fuzzy_variant(child)
        else:
            replacement = _fuzzy_leaf(node, *child)
        changed = changed or replacement is not None
        children.append(child if replacement is None else replacement)
    return node._new_instance(children, node.connector, node.negated) if changed else None


def _fuzzy_leaf(node, expression, value):
    field, filter_type = node.split_expression(expression)
    if field != "content" or filter_type != "content":
        return None
    if isinstance(value, AutoQuery):
        text = value.query_string
    elif isinstance(value, (str, Clean)):
        text = str(value)
    else:
        return None  # Exact, Raw, …: the caller meant it literally
    excluded = [token[1:] for token in PHRASES.sub(" ", text).split() if token.startswith("-") and len(token) > 1]
    words = [word for word in re.findall(r"[^\s\"]+", text) if not word.startswith("-")]
    if not words:
        return None
    parts = [_fuzzy_word(word.lower()) for word in words]
    parts += [~SQ(content=Clean(word)) for word in excluded]
    return reduce(operator.and_, parts)


def _fuzzy_word(word: str):
    # Short words, and numbers and codes (a digit anywhere: "00146", "x200"), stay exact: widening them
    # finds their neighbours ("00145"), which then rank level with what was meant.
    if len(word) < MIN_FUZZY_LENGTH or any(character.isdigit() for character in word):
        return SQ(content=Clean(word))
    return SQ(content__fuzzy=word)
