"""Slips forgiven: each word typed in the search box finds what it says, or the indexed words one edit away.

A shopper's free text (haystack's `content` filter with an AutoQuery or plain text, which Oscar's search form
sends) is searched with each long enough word fuzzy, `word~`, which the backend reads as "the word, or an indexed
word within one edit of it" (compiler.py, vocabulary.py). Every search is forgiving, not only one that found
nothing: a slip in one word beside correctly typed ones still finds the product. Documents that match a word as
typed rank above those that match it only forgiven.

The policy lives here, apart from the backend, and the backend stays honest: an explicit query (`Exact`, `Raw`,
a field) means what it says; only the free text of a search box is widened. What stays exact:

- words of three letters or fewer: one edit is a third of the word, and their neighbours are other everyday
  words ("tea": sea, tee, ten, team, teal), so forgiving them would bury what was meant under what was not;
- numbers and product codes (a digit anywhere: "00146", "x200"): their neighbours are other products' codes;
- quoted phrases ("serving board"): quoting asks for those words in that order;
- excluded words (-walnut).
"""

import operator
import re
from functools import reduce

from django.utils import tree
from haystack.backends import SQ
from haystack.inputs import AutoQuery, Clean, Exact

MIN_FORGIVEN_LENGTH = 4  # shorter words stay exact
PHRASES = AutoQuery.exact_match_re


class TypoTolerantQuery:
    """Mixin for a haystack SearchQuery class: the query string it builds forgives slips."""

    def build_query(self):
        forgiving = forgiving_variant(self.query_filter)
        if forgiving is None:
            return super().build_query()
        typed, self.query_filter = self.query_filter, forgiving
        try:
            return super().build_query()
        finally:
            self.query_filter = typed


def forgiving_variant(node):
    """A copy of the filter tree with the free-text words fuzzy, or None if it has none to widen."""
    if node.negated:
        return None  # widening a NOT would exclude more, not find more
    changed, children = False, []
    for child in node.children:
        if isinstance(child, tree.Node):
            replacement = forgiving_variant(child)
        else:
            replacement = _forgiving_leaf(node, *child)
        changed = changed or replacement is not None
        children.append(child if replacement is None else replacement)
    return node._new_instance(children, node.connector, node.negated) if changed else None


def is_forgiven(word: str) -> bool:
    """Whether a typed word may be widened to its neighbours (see the module's docstring)."""
    return len(word) >= MIN_FORGIVEN_LENGTH and not any(character.isdigit() for character in word)


def _forgiving_leaf(node, expression, value):
    field, filter_type = node.split_expression(expression)
    if field != "content" or filter_type != "content":
        return None
    if isinstance(value, AutoQuery):
        text = value.query_string
    elif isinstance(value, (str, Clean)):
        text = str(value)
    else:
        return None  # Exact, Raw, …: the caller meant it literally
    phrases = PHRASES.findall(text)
    tokens = PHRASES.sub(" ", text).split()
    if not any(is_forgiven(token) for token in tokens if not token.startswith("-")):
        return None
    parts = [SQ(content=Exact(phrase, clean=True)) for phrase in phrases]
    for token in tokens:
        if token.startswith("-") and len(token) > 1:
            parts.append(~SQ(content=Clean(token[1:])))
        else:
            parts.append(_forgiving_word(token))
    return reduce(operator.and_, parts)


def _forgiving_word(token: str):
    words = re.findall(r"\w+", token)
    if len(words) == 1 and words[0] == token and is_forgiven(token):
        return SQ(content__fuzzy=token.lower())
    return SQ(content=Clean(token))  # "e-reader", "o'neill": as typed, like the exact search
