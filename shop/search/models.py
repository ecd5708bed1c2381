from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class SearchDocument(models.Model):
    """One haystack document as the PostgreSQL search backend stores it.

    `data` holds the index's prepared fields; `search_vector` (full text, weighted) and
    `fuzzy_text` (lower-cased document text, for trigram matching) are derived from it
    on write, and each has a GIN index (the vector's, trigrams for `fuzzy_text`, `data`'s for
    narrowing and facets).
    """

    id = models.CharField(primary_key=True, max_length=255)  # haystack's "app_label.model_name.pk"
    django_ct = models.CharField(max_length=100, db_index=True)
    django_id = models.CharField(max_length=100)
    data = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    search_vector = SearchVectorField(null=True)
    fuzzy_text = models.TextField(default="", blank=True)

    class Meta:
        indexes = [
            GinIndex(fields=["search_vector"], name="search_doc_vector_gin"),
            GinIndex(fields=["fuzzy_text"], opclasses=["gin_trgm_ops"], name="search_doc_fuzzy_trgm"),
            GinIndex(fields=["data"], name="search_doc_data_gin"),
        ]

    def __str__(self):
        return self.id


class SearchWord(models.Model):
    """A word of the indexed text, lower-cased: the vocabulary that typo tolerance and
    "did you mean" look up by trigram similarity (GIN gin_trgm_ops).

    Words are added as documents are written and only dropped when the whole index is
    cleared; a word whose documents are gone matches nothing, and spelling suggestions
    only offer words that some document still contains.
    """

    word = models.CharField(primary_key=True, max_length=64)

    class Meta:
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="search_word_trgm")]

    def __str__(self):
        return self.word
