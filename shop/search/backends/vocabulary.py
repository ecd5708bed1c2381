"""The vocabulary of the index: every word of the documents' text, lower-cased.

A slip is matched against single words rather than whole documents. A word typed with one slip is within one
edit of the word meant, counting a swap of two neighbouring letters as one edit (optimal string alignment, the
restricted Damerau–Levenshtein distance): a letter left out, one too many, a wrong one, two swapped. Every string
within one edit of a word of n letters is spelled out here (about 85·n of them), and the vocabulary is asked
which of them it holds: one query of primary-key probes, whatever the size of the vocabulary (5–18 ms for a
three-word query against the 200,000 words of 100,000 demo products, on a busy machine). Trigram similarity
cannot do this: "lmap" shares one trigram of nine with "lamp". What the found words then match is an ordinary
full-text search.
"""

from dataclasses import dataclass

from django.db import connection

from ..models import SearchDocument, SearchWord

MAX_WORD_LENGTH = 64  # SearchWord.word
MAX_FORGIVEN = 16  # a slip widens to at most this many words (of a long list, the most similar)
# The letters a slip may put in or swap in: Latin, with the accented letters of the shop's languages (a word's own
# letters count too). A slip to any other letter is not forgiven.
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzàâäçéèêëïîôöûüñß")

ADD_SQL = """
INSERT INTO {words} (word)
SELECT DISTINCT candidate.word
FROM {documents} AS doc
CROSS JOIN LATERAL regexp_split_to_table(doc.fuzzy_text, '[^[:alnum:]]+') AS candidate(word)
WHERE doc.id = ANY(%s) AND length(candidate.word) BETWEEN 2 AND {max_length}
ORDER BY candidate.word  -- one lock order for concurrent writers: no deadlock
ON CONFLICT (word) DO NOTHING
"""

# Which of the typed words and their one-edit variants are indexed, each with whether the text search configuration
# drops it (a stop word). A probe of the primary key per variant (LIMIT 1 keeps the planner on the index: with
# `word = ANY(…)` it reads all 200,000 words of the 100k-product vocabulary instead, 60–90 ms against 5–18).
FORGIVEN_SQL = """
SELECT found.word, numnode(plainto_tsquery(%s::regconfig, found.word)) = 0
FROM unnest(%s::text[]) AS variant(word)
CROSS JOIN LATERAL (SELECT word FROM {words} WHERE word = variant.word LIMIT 1) AS found
"""


@dataclass(frozen=True)
class Forgiven:
    """A typed word and the indexed words within one edit of it (not itself)."""

    word: str
    indexed: bool  # the word itself is a word of the index
    neighbours: tuple[str, ...]
    stop_words: frozenset[str]  # of the word and its neighbours, those the text search configuration drops


def vocabulary_add(*, document_ids) -> None:
    """Add the words of these (already written) documents."""
    sql = ADD_SQL.format(words=_table(SearchWord), documents=_table(SearchDocument), max_length=MAX_WORD_LENGTH)
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(document_ids)])


def vocabulary_clear() -> None:
    SearchWord.objects.all().delete()


def one_edit_variants(word: str) -> set[str]:
    """Every string one edit from `word`: a letter left out, two neighbours swapped, a letter replaced or added."""
    letters = LETTERS | set(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    variants = {head + tail[1:] for head, tail in splits if tail}
    variants |= {head + tail[1] + tail[0] + tail[2:] for head, tail in splits if len(tail) > 1}
    variants |= {head + letter + tail[1:] for head, tail in splits if tail for letter in letters}
    variants |= {head + letter + tail for head, tail in splits for letter in letters}
    variants.discard(word)
    return {variant for variant in variants if len(variant) <= MAX_WORD_LENGTH}


def osa_distance(a: str, b: str) -> int:
    """Edits from `a` to `b` (insert, delete, replace, swap of neighbours), no substring edited twice."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def words_within_one_edit(words, *, config: str) -> dict[str, Forgiven]:
    """For each word, whether it is indexed and the indexed words one edit away: one query for all of them.

    A word stays in the vocabulary after its last document is gone (vocabulary.py adds, only a full clear
    removes): it then matches nothing, and "did you mean" may, rarely, offer it until the next full rebuild."""
    words = sorted({word.lower() for word in words})
    if not words:
        return {}
    variants_of = {word: one_edit_variants(word) for word in words}
    everything = sorted(set(words).union(*variants_of.values()))
    with connection.cursor() as cursor:
        cursor.execute(FORGIVEN_SQL.format(words=_table(SearchWord)), [config, everything])
        rows = cursor.fetchall()
    indexed = {word for word, _stop in rows}
    stop_words = {word for word, stop in rows if stop}
    forgiven = {}
    for word in words:
        neighbours = tuple(closest(word, indexed & variants_of[word])[:MAX_FORGIVEN])
        stops = frozenset(stop_words & {word, *neighbours})
        forgiven[word] = Forgiven(word, word in indexed, neighbours, stops)
    return forgiven


def closest(word: str, candidates) -> list[str]:
    """The candidates most like `word` first: a swap or a wrong letter before a letter too many or too few (the
    same length), then the longest shared start, then alphabetically."""
    return sorted(candidates, key=lambda other: (_length_change(word, other), -_shared_start(word, other), other))


def _length_change(a: str, b: str) -> int:
    return abs(len(a) - len(b))


def _shared_start(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)
