"""Haystack's Whoosh engine (the embedded default for `make run`), with the same typo
tolerance as the PostgreSQL engine (typos.py), fuzzy terms that work on stemmed text,
and spelling suggestions that do not fetch every matching document first.

Whoosh expands a fuzzy term (`ceramc~2/3`) among the unstemmed words it keeps for
spelling suggestions ("ceramic"), then looks those up in the stemmed index, where the
word is "ceram": nothing matches unless the word happens to be its own stem. Here the
expansions are stemmed the way the field indexes them before they are looked up.
"""

from haystack.backends import whoosh_backend
from whoosh import query
from whoosh.qparser import FuzzyTermPlugin
from whoosh.support.levenshtein import levenshtein

from shop.observability import instruments

from .typos import TypoTolerantQuery


class StemmedFuzzyTerm(query.FuzzyTerm):
    def _btexts(self, ixreader):
        field = ixreader.schema[self.fieldname]
        seen = set()
        for word in super()._btexts(ixreader):  # words, as str (terms_within)
            word = field.from_bytes(word) if isinstance(word, bytes) else word
            for text in field.process_text(word, mode="index"):
                stemmed = field.to_bytes(text)
                if stemmed not in seen and (self.fieldname, stemmed) in ixreader:
                    seen.add(stemmed)
                    yield stemmed
        # The parser hands the typed word over stemmed ("headphoues" → "headphou"), and the words above are the
        # unstemmed vocabulary, where "headphones" is three edits from "headphou": compare stem with stem too.
        prefix = self.text[: self.prefixlength]
        for stemmed in ixreader.expand_prefix(self.fieldname, prefix):
            text = field.from_bytes(stemmed)
            if stemmed not in seen and levenshtein(text, self.text, limit=self.maxdist + 1) <= self.maxdist:
                seen.add(stemmed)
                yield stemmed


class StemmedFuzzyTermPlugin(FuzzyTermPlugin):
    class FuzzyTermNode(FuzzyTermPlugin.FuzzyTermNode):
        qclass = StemmedFuzzyTerm


class WhooshSearchBackend(whoosh_backend.WhooshSearchBackend):
    def setup(self):
        super().setup()
        self.parser.remove_plugin_class(FuzzyTermPlugin)
        self.parser.add_plugin(StemmedFuzzyTermPlugin())

    @instruments.search_duration.labels(backend="whoosh").time()
    def search(self, query_string, narrow_queries=None, **kwargs):
        # Haystack intersects the narrows one by one and hands Whoosh the result as a filter; when two narrows
        # share no document (Brand "Kade" and Colour "Black") the filter is empty and Whoosh reads an empty
        # filter as none at all: every product comes back. One narrow of all of them is empty, and answered so.
        if narrow_queries and len(narrow_queries) > 1:
            narrow_queries = {" AND ".join(f"({narrow})" for narrow in sorted(narrow_queries))}
        return super().search(query_string, narrow_queries=narrow_queries, **kwargs)


class WhooshSearchQuery(TypoTolerantQuery, whoosh_backend.WhooshSearchQuery):
    def get_spelling_suggestion(self, preferred_query=None):
        # Haystack would run this query unsliced (every matching document: about a
        # second per search page at 10,000 products) to get the suggestion as a by-product.
        if not self.backend.include_spelling:
            return None
        if not self.backend.setup_complete:
            self.backend.setup()
        self.backend.index = self.backend.index.refresh()
        return self.backend.create_spelling_suggestion(preferred_query or self.spelling_query or self.build_query())


class WhooshEngine(whoosh_backend.WhooshEngine):
    backend = WhooshSearchBackend
    query = WhooshSearchQuery
