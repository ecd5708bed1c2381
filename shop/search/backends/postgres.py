"""A haystack backend on PostgreSQL full-text search and pg_trgm.

    HAYSTACK_CONNECTIONS = {"default": {
        "ENGINE": "shop.search.backends.postgres.PostgresEngine",
        "INCLUDE_SPELLING": True,     # "did you mean" (spelling.py)
        "CONFIG": "english",          # text search configuration (default "english")
    }}

Documents live in `SearchDocument` rows of the default database, so they are written
in the caller's transaction: an index update rolls back with it. The query string
haystack builds is Lucene-like (written by query.py, read by querystring.py) and
compiled to SQL (compiler.py); facets, spelling and the vocabulary have their own modules. The search box's
words forgive slips (typos.py, through the query class).
"""

import logging
import re
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchVector
from django.db import transaction
from django.db.models import F, FloatField, Value
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_date, parse_datetime
from haystack import connections
from haystack.backends import BaseEngine, BaseSearchBackend, log_query
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct

from shop.observability import instruments

from ..models import SearchDocument
from . import facets as facet_counts
from .compiler import Compiler
from .expressions import field_text, field_value
from .query import PostgresSearchQuery
from .querystring import QuerySyntaxError, free_text_words, parse
from .spelling import spelling_suggestion
from .vocabulary import vocabulary_add, vocabulary_clear

logger = logging.getLogger(__name__)

WORDS = re.compile(r"\w+")


def _empty():
    return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}


class PostgresSearchBackend(BaseSearchBackend):
    RESERVED_WORDS = ("AND", "NOT", "OR", "TO")
    RESERVED_CHARACTERS = ("\\", "+", "-", "&&", "||", "!", "(", ")", "{", "}", "[", "]", "^", '"', "~", "*", ":")

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.config = connection_options.get("CONFIG", "english")

    # --- Writing ---------------------------------------------------------

    def update(self, index, iterable, commit=True):
        fields = {field.index_fieldname: field for field in index.fields.values()}
        documents = {}
        for obj in iterable:
            try:
                prepared = index.full_prepare(obj)
            except SkipDocument:
                logger.debug("Indexing for object %s skipped", obj)
                continue
            documents[prepared[ID]] = self._document(prepared, fields, index.get_content_field())
        if not documents:
            return
        with transaction.atomic():
            SearchDocument.objects.bulk_create(
                [documents[key] for key in sorted(documents)],  # one lock order for concurrent writers
                update_conflicts=True,
                unique_fields=["id"],
                update_fields=["django_ct", "django_id", "data", "fuzzy_text"],
            )
            SearchDocument.objects.filter(id__in=list(documents)).update(search_vector=self._vector(index))
            vocabulary_add(document_ids=list(documents))

    def remove(self, obj_or_string, commit=True):
        SearchDocument.objects.filter(id=get_identifier(obj_or_string)).delete()

    def clear(self, models=None, commit=True):
        documents = SearchDocument.objects.all()
        if models is not None:
            documents = documents.filter(django_ct__in=[get_model_ct(model) for model in models])
        documents.delete()
        if models is None:
            vocabulary_clear()

    def _document(self, prepared: dict, fields: dict, content_field: str) -> SearchDocument:
        data = {}
        for name, value in prepared.items():
            if name in (ID, DJANGO_CT, DJANGO_ID):
                continue
            field = fields.get(name)
            if field is not None and field.is_multivalued and value is not None:
                # Stored as text, as Solr hands them back, so "3" finds category 3.
                value = [str(item) for item in (value if isinstance(value, (list, tuple, set)) else [value])]
            data[name] = value
        text = " ".join(str(prepared.get(content_field) or "").split())
        return SearchDocument(
            id=prepared[ID],
            django_ct=prepared[DJANGO_CT],
            django_id=str(prepared[DJANGO_ID]),
            data=data,
            fuzzy_text=text.lower(),
        )

    def _vector(self, index):
        """Boosted fields (Oscar's title, in our index) weigh A, the document text D."""
        content = index.get_content_field()
        boosted = [
            field.index_fieldname
            for field in index.fields.values()
            if field.boost > 1 and field.index_fieldname != content and field.field_type != "location"
        ]
        text = SearchVector(field_text(content), config=self.config, weight="D")
        if not boosted:
            return text
        return SearchVector(*map(field_text, boosted), config=self.config, weight="A") + text

    # --- Searching -------------------------------------------------------

    @instruments.search_duration.labels(backend="postgres").time()
    @log_query
    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        if not query_string:
            return _empty()
        compiler = self._compiler()
        try:
            condition = compiler.compile(parse(query_string))
            narrows = [self._compiler().compile(parse(narrow)) for narrow in narrow_queries or ()]
        except QuerySyntaxError:
            if not self.silently_fail:
                raise
            logger.warning("Unparsable search %r (narrowed by %r)", query_string, narrow_queries, exc_info=True)
            return _empty()

        documents = SearchDocument.objects.filter(condition, *narrows)
        model_cts = self._model_cts(models, limit_to_registered_models)
        if model_cts:
            documents = documents.filter(django_ct__in=model_cts)

        rank = compiler.rank()
        page = documents.annotate(score=rank if rank is not None else Value(0.0, output_field=FloatField()))
        page = page.order_by(*self._ordering(sort_by, ranked=rank is not None))
        if highlight and compiler.rank_queries:
            page = page.annotate(highlighted_text=self._headline(reduce(or_, compiler.rank_queries)))
        page = page[start_offset:end_offset] if end_offset is not None else page[start_offset:]

        all_fields = self._fields()
        if kwargs.get("count_only"):  # query.py's get_count: the number of matches and the facets, no rows
            page = []
        results = [self._result(document, all_fields, fields, result_class) for document in page]
        return {
            "results": results,
            "hits": kwargs["known_hits"] if "known_hits" in kwargs else documents.count(),  # query.py
            # skip_facets: the query object counted them in an earlier run (query.py)
            "facets": {}
            if kwargs.get("skip_facets")
            else self._facets(documents, facets, date_facets, query_facets, all_fields),
            "spelling_suggestion": self.spelling_suggestion(query_string, spelling_query) if spelling_query else None,
        }

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        """Documents sharing words with the instance's document, best first: an OR of its
        distinct words, ranked like any search."""
        document = SearchDocument.objects.filter(id=get_identifier(model_instance)).first()
        if document is None:
            return _empty()
        words = list(dict.fromkeys(WORDS.findall(document.fuzzy_text)))[:64]  # title words come first
        query = " OR ".join(words) or "NOT *"
        if additional_query_string and additional_query_string != "*":
            query = f"({query}) AND ({additional_query_string})"
        results = self.search(
            query,
            start_offset=start_offset,
            end_offset=end_offset,
            models=models,
            limit_to_registered_models=limit_to_registered_models,
            result_class=result_class,
            narrow_queries={f'-id:"{document.id}"'},
        )
        return {"results": results["results"], "hits": results["hits"]}

    def _compiler(self):
        unified = connections[self.connection_alias].get_unified_index()
        return Compiler(fields=unified.all_searchfields(), document_field=unified.document_field, config=self.config)

    def _fields(self):
        return connections[self.connection_alias].get_unified_index().all_searchfields()

    def _model_cts(self, models, limit_to_registered_models):
        if models:
            return sorted(get_model_ct(model) for model in models)
        if limit_to_registered_models is None:
            limit_to_registered_models = getattr(settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True)
        return self.build_models_list() if limit_to_registered_models else []

    def _ordering(self, sort_by, *, ranked: bool) -> list:
        fields = self._fields()
        ordering = []
        for name in sort_by or ():
            descending = name.startswith("-")
            name = name.lstrip("-")
            if name == "score":
                expression = F("score")
            else:
                field = fields.get(name)
                expression = field_value(name, field.field_type if field else None)
            ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        if ranked and not sort_by:
            ordering.append(F("score").desc())
        return [*ordering, "id"]

    def _headline(self, query):
        document_field = connections[self.connection_alias].get_unified_index().document_field
        return SearchHeadline(
            Coalesce(field_text(document_field), Value("")),
            query,
            config=self.config,
            start_sel="<em>",
            stop_sel="</em>",
        )

    def _facets(self, documents, field_facets, date_facets, query_facets, fields) -> dict:
        if not (field_facets or date_facets or query_facets):
            return {}
        return {
            "fields": facet_counts.field_facets(documents, field_facets or {}, fields),
            "dates": facet_counts.date_facets(documents, date_facets or {}, fields),
            "queries": facet_counts.query_facets(documents, query_facets or [], self._compiler),
        }

    def spelling_suggestion(self, query_string: str, spelling_query: str | None = None) -> str | None:
        """ "Did you mean" for what was typed (`spelling_query`), else for the query's free text."""
        if not self.include_spelling:
            return None
        if spelling_query:
            return spelling_suggestion(spelling_query, config=self.config)
        try:
            words = free_text_words(parse(query_string))
        except QuerySyntaxError:
            return None
        return spelling_suggestion(" ".join(words), config=self.config)

    def _result(self, document, all_fields, wanted, result_class) -> SearchResult:
        app_label, model_name = document.django_ct.split(".")
        values = {}
        for name, value in document.data.items():
            if wanted and name not in wanted:
                continue
            values[name] = _from_stored(all_fields.get(name), value)
        if getattr(document, "highlighted_text", None) is not None:
            values["highlighted"] = {"text": [document.highlighted_text]}
        result_class = result_class or SearchResult
        return result_class(app_label, model_name, document.django_id, document.score, **values)


class PostgresEngine(BaseEngine):
    backend = PostgresSearchBackend
    query = PostgresSearchQuery


def _from_stored(field, value):
    """A stored JSON value back in the field's Python type."""
    if field is None or value is None:
        return value
    if field.is_multivalued:
        return list(value)
    if field.field_type == "datetime" and isinstance(value, str):
        return parse_datetime(value)
    if field.field_type == "date" and isinstance(value, str):
        return parse_date(value[:10])
    return field.convert(value)
