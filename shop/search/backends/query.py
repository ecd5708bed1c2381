"""Haystack's side of the PostgreSQL engine: write the filter tree as the query language
querystring.py reads (a Lucene subset, like Solr's)."""

from haystack import connections
from haystack.backends import BaseSearchQuery
from haystack.inputs import Clean, PythonData

from .querystring import QuerySyntaxError
from .typos import TypoTolerantQuery


class PostgresSearchQuery(TypoTolerantQuery, BaseSearchQuery):
    """Writes haystack's filter tree as the query language querystring.py reads."""

    FORMATS = {
        "content": "{}",
        "contains": "*{}*",
        "endswith": "*{}",
        "startswith": "{}*",
        "fuzzy": "{}~",
    }

    # haystack runs one query several times for a page (its count, then the page), each after _reset(). The
    # facet counts depend on neither the offsets nor the order, and cost the most: count them once per query.
    _facets_memo: tuple | None = None

    def run(self, spelling_query=None, **kwargs):
        key = self._facets_key()
        if key is not None and self._facets_memo is not None and self._facets_memo[0] == key:
            super().run(spelling_query=spelling_query, skip_facets=True, **kwargs)
            self._facet_counts = self._facets_memo[1]
            return
        super().run(spelling_query=spelling_query, **kwargs)
        if key is not None:
            self._facets_memo = (key, self._facet_counts)

    # …and the count too: each search records its hit count under the filter it ran, and a later run of the same
    # filter (another page, another order) tells the backend, which then skips its COUNT. Per filter, not per
    # query object: a clone narrowed differently has a count of its own.
    def get_count(self):
        # Haystack counts by running the query for its first result, which still sorts every match (about half
        # a second at 100,000 products); here the count runs alone. Pages are read after a _reset() anyway.
        if self._hit_count is None and not (self._more_like_this or self._raw_query):
            self.run(count_only=True)
        return super().get_count()

    def build_params(self, spelling_query=None, **kwargs):
        params = super().build_params(spelling_query, **kwargs)
        hits = self._hits_by_filter().get(self._hits_key())
        if hits is not None:
            params["known_hits"] = hits
        return params

    def post_process_facets(self, results):
        self._hits_by_filter()[self._hits_key()] = results.get("hits", 0)  # called after every backend search
        return super().post_process_facets(results)

    def _hits_by_filter(self) -> dict:
        return self.__dict__.setdefault("_hits_memo", {})  # this query object's own (clones start empty)

    def _hits_key(self):
        return repr((self.build_query(), sorted(self.narrow_queries), sorted(str(model) for model in self.models)))

    def _facets_key(self):
        if not (self.facets or self.date_facets or self.query_facets):
            return None
        return repr(
            (
                self.build_query(),
                sorted(self.facets.items()),
                sorted(self.date_facets.items()),
                self.query_facets,
                sorted(self.narrow_queries),
                sorted(str(model) for model in self.models),
            )
        )

    def get_spelling_suggestion(self, preferred_query=None):
        # Haystack would run this query unsliced (every matching document) to get the
        # suggestion as a by-product; only the suggestion is computed here.
        return self.backend.spelling_suggestion(self.build_query(), preferred_query or self.spelling_query)

    def matching_all_fragment(self):
        return "*"

    def build_query_fragment(self, field, filter_type, value):
        if not hasattr(value, "input_type_name"):
            if hasattr(value, "values_list"):
                value = list(value)
            value = Clean(value) if isinstance(value, str) else PythonData(value)
        prepared = value.prepare(self)

        if field == "content":
            prefix = ""
        else:
            prefix = connections[self._using].get_unified_index().get_index_fieldname(field) + ":"

        if not value.post_process:  # AutoQuery, Raw: already in query syntax
            fragment = prepared
        elif value.input_type_name == "exact":
            fragment = prepared
        elif filter_type in self.FORMATS and isinstance(prepared, str):
            words = [word for word in prepared.split(" ") if word]
            fragment = " AND ".join(self.FORMATS[filter_type].format(word) for word in words)
        elif filter_type in ("content", "exact"):
            fragment = self._phrase(prepared, value)
        elif filter_type == "in":
            options = [_quoted(option) for option in prepared]
            fragment = " OR ".join(options) if options else "NOT *"
        elif filter_type == "range":
            fragment = f"[{_quoted(prepared[0])} TO {_quoted(prepared[1])}]"
        elif filter_type in ("gt", "gte", "lt", "lte"):
            bound = self._phrase(prepared, value)
            fragment = {
                "gt": f"{{{bound} TO *]",
                "gte": f"[{bound} TO *]",
                "lt": f"[* TO {bound}}}",
                "lte": f"[* TO {bound}]",
            }[filter_type]
        else:
            raise QuerySyntaxError(f"Unknown filter type {filter_type!r}")
        return f"{prefix}({fragment or 'NOT *'})"

    def build_exact_query(self, query_string):
        return f'"{query_string}"'  # the words were cleaned (reserved characters escaped)

    def _phrase(self, prepared, value) -> str:
        if value.input_type_name == "clean":
            return self.build_exact_query(prepared)
        return _quoted(prepared)


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _quoted(value) -> str:
    text = _literal(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
