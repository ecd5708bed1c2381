"""Spelling suggestions ("did you mean"): each word no document contains becomes the
closest indexed word that some document does contain (vocabulary.py)."""

import re

from django.contrib.postgres.search import SearchQuery
from django.db.models import F

from ..models import SearchDocument
from .expressions import TextMatch
from .vocabulary import similar_words

WORDS = re.compile(r"\w+")


def spelling_suggestion(text: str, *, config: str) -> str | None:
    words = WORDS.findall(text.lower())
    if not words:
        return None
    return " ".join(word if _is_known(word, config) else _closest_known(word, config) or word for word in words)


def _is_known(word: str, config: str) -> bool:
    query = SearchQuery(word, config=config, search_type="plain")
    return SearchDocument.objects.filter(TextMatch(F("search_vector"), query)).exists()


def _closest_known(word: str, config: str) -> str | None:
    return next((candidate for candidate in similar_words(word) if _is_known(candidate, config)), None)
