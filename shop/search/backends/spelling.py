"""Spelling suggestions ("did you mean"): the query as typed, with each word that no document contains replaced
by the closest indexed word one edit away that some document does contain. Words the search does not forgive
(short words, numbers and codes: typos.py) are left as typed, and so is everything between the words. None when
nothing would change. One query, however many words."""

import re

from .typos import is_forgiven
from .vocabulary import closest, live_words

WORDS = re.compile(r"\w+")


def spelling_suggestion(text: str, *, config: str) -> str | None:
    typed = [word.lower() for word in WORDS.findall(text) if is_forgiven(word)]
    if not typed:
        return None
    neighbours, live = live_words(typed, config=config)

    def corrected(match):
        word = match.group()
        lower = word.lower()
        if not is_forgiven(word) or lower in live:
            return word
        found = [candidate for candidate in closest(lower, neighbours.get(lower, ())) if candidate in live]
        return _same_case(word, found[0]) if found else word

    suggestion = WORDS.sub(corrected, text)
    return suggestion if suggestion != text else None


def _same_case(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
