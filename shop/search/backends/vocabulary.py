"""The vocabulary of the index: every word of the documents' text, lower-cased.

A typo is matched against single words rather than whole documents: pg_trgm's
`similarity` of two words is what "one letter off" looks like (walnot/walnut 0.4),
while the word similarity of a word inside a long text is stricter and much more
expensive. Looking a word up is a GIN-indexed `%` (pg_trgm.similarity_threshold,
0.3 by default); what the similar words then find is an ordinary full-text search.
"""

from django.db import connection

from ..models import SearchDocument, SearchWord

MAX_WORD_LENGTH = 64  # SearchWord.word
SIMILAR_WORDS = 8  # a typo widens to at most this many words

ADD_SQL = """
INSERT INTO {words} (word)
SELECT DISTINCT candidate.word
FROM {documents} AS doc
CROSS JOIN LATERAL regexp_split_to_table(doc.fuzzy_text, '[^[:alnum:]]+') AS candidate(word)
WHERE doc.id = ANY(%s) AND length(candidate.word) BETWEEN 2 AND {max_length}
ORDER BY candidate.word  -- one lock order for concurrent writers: no deadlock
ON CONFLICT (word) DO NOTHING
"""

SIMILAR_SQL = """
SELECT word FROM {words}
WHERE word %% %s
ORDER BY similarity(word, %s) DESC, word
LIMIT %s
"""


def vocabulary_add(*, document_ids) -> None:
    """Add the words of these (already written) documents."""
    sql = ADD_SQL.format(words=_table(SearchWord), documents=_table(SearchDocument), max_length=MAX_WORD_LENGTH)
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(document_ids)])


def vocabulary_clear() -> None:
    SearchWord.objects.all().delete()


def similar_words(word: str, *, limit: int = SIMILAR_WORDS) -> list[str]:
    """Indexed words trigram-similar to `word`, most similar first (the word itself, if indexed)."""
    with connection.cursor() as cursor:
        cursor.execute(SIMILAR_SQL.format(words=_table(SearchWord)), [word.lower(), word.lower(), limit])
        return [row[0] for row in cursor.fetchall()]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)
