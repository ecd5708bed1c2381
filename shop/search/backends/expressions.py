"""SQL building blocks over `SearchDocument` (PostgreSQL only).

Written as expressions rather than lookups so that django.contrib.postgres need not
be an installed app (its trigram lookups are registered by that app).
"""

from django.db.models import BooleanField, DateField, DateTimeField, FloatField, Func, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Lower

# Haystack field types whose values are compared and sorted as numbers or dates;
# every other type is text.
CASTS = {
    "integer": FloatField,  # one numeric type: "4" and "4.0" compare equal, as in JSON
    "float": FloatField,
    "date": DateField,
    "datetime": DateTimeField,
    "boolean": BooleanField,
}


def field_text(name: str):
    """The field's value as text (`data ->> name`); NULL when absent or JSON null."""
    return KeyTextTransform(name, "data")


def field_value(name: str, field_type: str | None):
    """The field's value typed for comparing and sorting (text is compared lower-cased)."""
    cast = CASTS.get(field_type)
    return Cast(field_text(name), cast()) if cast else Lower(field_text(name))


class TextMatch(Func):
    """`vector @@ query`, where a query with no lexemes left (only stop words) matches all.

    plainto_tsquery('english', 'the') is empty and `@@` with it is false, so "the teapot"
    would find nothing beside its other words. With a constant query PostgreSQL folds the
    `numnode(...) = 0` test at plan time, so the GIN index is still used.
    """

    output_field = BooleanField()

    def __init__(self, vector, query):
        super().__init__(vector, query)

    def as_sql(self, compiler, connection, **extra_context):
        vector, query = self.get_source_expressions()
        vector_sql, vector_params = compiler.compile(vector)
        query_sql, query_params = compiler.compile(query)
        sql = f"(numnode({query_sql}) = 0 OR {vector_sql} @@ {query_sql})"
        return sql, [*query_params, *vector_params, *query_params]


class WordSimilar(Func):
    """`word <% text`: some extent of `text` is trigram-similar to `word`
    (pg_trgm.word_similarity_threshold, 0.6 by default). For `field:word~` only: free
    text goes through the vocabulary (vocabulary.py), words within one edit."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, word: str, text):
        super().__init__(Value(word), text)
