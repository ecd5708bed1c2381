"""The vocabulary of the index: every word of the documents' text, lower-cased.

A slip is matched against single words rather than whole documents. A word typed with one slip is within one
edit of the word meant, counting a swap of two neighbouring letters as one edit (optimal string alignment, the
restricted Damerau–Levenshtein distance): a letter left out, one too many, a wrong one, two swapped. Every string
within one edit of a word of n letters is spelled out here (about 60·n of them), and the vocabulary is asked
which of them it holds: one primary-key lookup of an array, whatever the size of the vocabulary (about 2 ms for
a three-word query against 200,000 words). Trigram similarity cannot do this: "lmap" shares one trigram of nine
with "lamp". What the found words then match is an ordinary full-text search.
"""

from dataclasses import dataclass

from django.db import connection

from ..models import SearchDocument, SearchWord

MAX_WORD_LENGTH = 64  # SearchWord.word
MAX_FORGIVEN = 16  # a slip widens to at most this many words (of a long list, the most similar)
# The letters a slip may put in or swap in: Latin, with the accented letters of the shop's languages (a word's own
# letters count too). A slip to any other letter is not forgiven.
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzàáâäãåæçèéêëìíîïñòóôöõøœùúûüýÿß")

ADD_SQL = """
INSERT INTO {words} (word)
SELECT DISTINCT candidate.word
FROM {documents} AS doc
CROSS JOIN LATERAL regexp_split_to_table(doc.fuzzy_text, '[^[:alnum:]]+') AS candidate(word)
WHERE doc.id = ANY(%s) AND length(candidate.word) BETWEEN 2 AND {max_length}
ORDER BY candidate.word  -- one lock order for concurrent writers: no deadlock
ON CONFLICT (word) DO NOTHING
"""

# The indexed words among the typed words' one-edit variants, and the typed words themselves, each with whether
# the text search configuration drops it (a stop word).
FORGIVEN_SQL = """
SELECT word, numnode(plainto_tsquery(%s::regconfig, word)) = 0, is_typed
FROM (
    SELECT word, false FROM {words} WHERE word = ANY(%s::varchar[])
    UNION ALL
    SELECT typed, true FROM unnest(%s::varchar[]) AS typed
) AS found(word, is_typed)
"""

# Which words some document still contains (or the configuration drops: a stop word finds everything).
LIVE_SQL = """
SELECT found.word,
       numnode(plainto_tsquery(%s::regconfig, found.word)) = 0
       OR EXISTS (
           SELECT 1 FROM {documents} AS doc WHERE doc.search_vector @@ plainto_tsquery(%s::regconfig, found.word)
       )
FROM (
    SELECT word FROM {words} WHERE word = ANY(%s::varchar[])
    UNION
    SELECT unnest(%s::varchar[])
) AS found(word)
"""


@dataclass(frozen=True)
class Forgiven:
    """A typed word and the indexed words within one edit of it (not itself)."""

    word: str
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
    """For each word, the indexed words one edit away: one query for all of them."""
    words = sorted({word.lower() for word in words})
    if not words:
        return {}
    variants_of = {word: one_edit_variants(word) for word in words}
    everything = sorted(set().union(*variants_of.values()))
    with connection.cursor() as cursor:
        cursor.execute(FORGIVEN_SQL.format(words=_table(SearchWord)), [config, everything, words])
        rows = cursor.fetchall()
    indexed = {word for word, _stop, is_typed in rows if not is_typed}
    stop_words = {word for word, stop, _is_typed in rows if stop}
    forgiven = {}
    for word in words:
        neighbours = _closest(word, indexed & variants_of[word])
        forgiven[word] = Forgiven(word, neighbours, frozenset(stop_words & {word, *neighbours}))
    return forgiven


def live_words(words, *, config: str) -> tuple[dict[str, set[str]], set[str]]:
    """({word: its indexed one-edit neighbours}, the words of both that some document contains): one query."""
    words = sorted({word.lower() for word in words})
    if not words:
        return {}, set()
    variants_of = {word: one_edit_variants(word) for word in words}
    everything = sorted(set().union(*variants_of.values()))
    sql = LIVE_SQL.format(words=_table(SearchWord), documents=_table(SearchDocument))
    with connection.cursor() as cursor:
        cursor.execute(sql, [config, config, everything, words])
        rows = cursor.fetchall()
    found = {word for word, _live in rows}
    live = {word for word, is_live in rows if is_live}
    return {word: found & variants_of[word] for word in words}, live


def closest(word: str, candidates) -> list[str]:
    """The candidates most like `word` first: a swap or a wrong letter before a letter too many or too few (the
    same length), then the longest shared start, then alphabetically."""
    return sorted(candidates, key=lambda other: (_length_change(word, other), -_shared_start(word, other), other))


def _closest(word: str, candidates) -> tuple[str, ...]:
    return tuple(closest(word, candidates)[:MAX_FORGIVEN])


def _length_change(a: str, b: str) -> int:
    return abs(len(a) - len(b))


def _shared_start(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)
