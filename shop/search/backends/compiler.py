"""Compile a parsed query (querystring.py) into a filter over `SearchDocument`.

What a term means depends on its field:

- free text (no field, or the document field): full-text search on `search_vector`;
  `word~` (fuzzy) searches for the word or any indexed word within one edit of it (vocabulary.py);
- multi-valued fields: the value is one of the field's values (exact, case-sensitive);
- integer, float, date, datetime and boolean fields: typed equality and ranges;
- edge n-gram and n-gram fields (Oscar's `title`): every word starts a word of the value,
  the way a search box completes;
- other text fields: the whole value (exact); `a*`, `*a*` and `a~` for partial matches.

The compiler also collects the positive free-text terms, which rank the results: one point for each fuzzy
word a document matches as typed, so exact matches come before forgiven ones, plus ts_rank scaled below one
(rank / (rank + 1)), which orders documents that matched as many words exactly.
"""

import re
from datetime import datetime, time
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Lower
from django.db.models.lookups import (
    Contains,
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
    StartsWith,
)
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .expressions import CASTS, TextMatch, WordSimilar, field_text, field_value
from .querystring import And, MatchAll, Not, Or, QuerySyntaxError, Range, Term
from .vocabulary import words_within_one_edit

EVERYTHING = Q(id__isnull=False)
COLUMNS = {"id", "django_ct", "django_id"}
WORDS = re.compile(r"\w+")


class Compiler:
    def __init__(self, *, fields: dict, document_field: str, config: str, words_within_one_edit=words_within_one_edit):
        self.fields = fields  # index field name → haystack SearchField
        self.document_field = document_field
        self.config = config
        self.words_within_one_edit = words_within_one_edit
        self.rank_queries = []  # SearchQuery per positive free-text term
        self.exact_queries = []  # per positive fuzzy word with neighbours: the word as typed
        self.forgiven = {}  # fuzzy word → vocabulary.Forgiven

    def compile(self, node) -> Q:
        # The neighbours of every fuzzy word, looked up together before compiling: one query however many words.
        words = {word for word in fuzzy_words(node, self.document_field) if word not in self.forgiven}
        if words:
            self.forgiven.update(self.words_within_one_edit(words, config=self.config))
        return self.node(node)

    def node(self, node, negated: bool = False) -> Q:
        if isinstance(node, MatchAll):
            return EVERYTHING
        if isinstance(node, And):
            return reduce(and_, (self.node(child, negated) for child in node.children))
        if isinstance(node, Or):
            return reduce(or_, (self.node(child, negated) for child in node.children))
        if isinstance(node, Not):
            return ~self.node(node.child, not negated)
        if isinstance(node, Range):
            return self.range(node)
        if node.field is None or node.field == self.document_field:
            return self.free_text(node, negated)
        return self.field_term(node)

    def rank(self):
        """How well a document matches the free text, or None when there was none."""
        parts = [
            Case(When(TextMatch(F("search_vector"), query), then=Value(1.0)), default=Value(0.0))
            for query in self.exact_queries
        ]
        if self.rank_queries:
            parts.append(SearchRank(F("search_vector"), reduce(or_, self.rank_queries), normalization=Value(32)))
        if not parts:
            return None
        return reduce(lambda a, b: a + b, parts) if len(parts) > 1 else parts[0]

    def free_text(self, term: Term, negated: bool) -> Q:
        if term.kind == "contains":
            return Q(fuzzy_text__contains=term.text.lower())
        if term.kind == "prefix":
            query = prefix_query(term.text, self.config)
        elif term.kind == "fuzzy":
            query = self.fuzzy_query(term.text, negated)
        else:
            search_type = "phrase" if term.kind == "phrase" else "plain"
            query = SearchQuery(term.text, config=self.config, search_type=search_type)
        condition = Q(TextMatch(F("search_vector"), query))
        if not negated:
            self.rank_queries.append(query)
        return condition

    def fuzzy_query(self, text: str, negated: bool) -> SearchQuery:
        """The word as typed or any indexed word one edit away. When one of them is a stop word (which the text
        search drops, "wiht" for "with"), the term matches every document, as the stop word would."""
        alternatives = []
        for word in WORDS.findall(text.lower()):
            forgiven = self.forgiven.get(word)
            if forgiven is None or not forgiven.neighbours:
                alternatives.append(word)
                continue
            if forgiven.stop_words:
                return SearchQuery("", config=self.config, search_type="plain")
            alternatives += [word, *forgiven.neighbours]
            if not negated:
                self.exact_queries.append(SearchQuery(word, config=self.config, search_type="plain"))
        query = " | ".join(f"'{word}'" for word in dict.fromkeys(alternatives)) or "''"
        return SearchQuery(query, config=self.config, search_type="raw")

    def field_term(self, term: Term) -> Q:
        name = term.field
        if name in COLUMNS:
            return _column_term(name, term)
        field = self.field(name)
        if field.is_multivalued:
            if term.kind not in ("word", "phrase"):
                raise QuerySyntaxError(f"{term.kind} matching is not supported on the multi-valued {name!r}")
            return Q(data__contains={name: [term.text]})
        if field.field_type in CASTS:
            return self.typed_term(name, field.field_type, term)
        if field.field_type in ("edge_ngram", "ngram") and term.kind in ("word", "phrase", "prefix"):
            vector = SearchVector(field_text(name), config="simple")
            return Q(TextMatch(vector, prefix_query(term.text, "simple")))
        if term.kind == "prefix":
            return Q(StartsWith(field_text(name), term.text))
        if term.kind == "contains":
            return Q(Contains(Lower(field_text(name)), term.text.lower()))
        if term.kind == "fuzzy":
            return Q(WordSimilar(term.text.lower(), Lower(field_text(name))))
        return Q(data__contains={name: term.text})

    def typed_term(self, name: str, field_type: str, term: Term) -> Q:
        if term.kind not in ("word", "phrase"):
            raise QuerySyntaxError(f"{term.kind} matching is not supported on the {field_type} field {name!r}")
        value = typed(field_type, term.text)
        if field_type == "boolean":
            return Q(data__contains={name: value})
        return Q(Exact(field_value(name, field_type), value))

    def range(self, node: Range) -> Q:
        field = self.field(node.field)
        if field.is_multivalued:
            raise QuerySyntaxError(f"Ranges are not supported on the multi-valued {node.field!r}")
        if node.low is None and node.high is None:
            return Q(IsNull(field_text(node.field), False))
        value = field_value(node.field, field.field_type)
        conditions = []
        if node.low is not None:
            low = typed(field.field_type, node.low)
            conditions.append(GreaterThanOrEqual(value, low) if node.include_low else GreaterThan(value, low))
        if node.high is not None:
            high = typed(field.field_type, node.high)
            conditions.append(LessThanOrEqual(value, high) if node.include_high else LessThan(value, high))
        return reduce(and_, (Q(condition) for condition in conditions))

    def field(self, name: str):
        try:
            return self.fields[name]
        except KeyError:
            raise QuerySyntaxError(f"No index has a field {name!r}") from None


def fuzzy_words(node, document_field: str) -> list[str]:
    """The words of the query's free-text fuzzy terms (`word~`)."""
    if isinstance(node, (And, Or)):
        return [word for child in node.children for word in fuzzy_words(child, document_field)]
    if isinstance(node, Not):
        return fuzzy_words(node.child, document_field)
    if isinstance(node, Term) and node.kind == "fuzzy" and node.field in (None, document_field):
        return WORDS.findall(node.text.lower())
    return []


def prefix_query(text: str, config: str) -> SearchQuery:
    """Every word of `text` starts a word of the document (`'tea':* & 'pot':*`)."""
    words = WORDS.findall(text) or [""]
    return SearchQuery(" & ".join(f"'{word}':*" for word in words), config=config, search_type="raw")


def typed(field_type: str, text: str):
    """A query's text as the field's type, to compare with `field_value`."""
    try:
        if field_type in ("integer", "float"):
            return float(text)
        if field_type == "boolean":
            return text.strip().lower() in ("true", "1", "yes", "on")
        if field_type == "date":
            return parse_date(text[:10]) or _fail(text)
        if field_type == "datetime":
            moment = parse_datetime(text) or datetime.combine(parse_date(text) or _fail(text), time.min)
            return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    except ValueError:
        raise QuerySyntaxError(f"{text!r} is not a valid {field_type}") from None
    return text.lower()


def _fail(text):
    raise ValueError(text)


def _column_term(name: str, term: Term) -> Q:
    if term.kind == "prefix":
        return Q(**{f"{name}__startswith": term.text})
    return Q(**{name: term.text})
