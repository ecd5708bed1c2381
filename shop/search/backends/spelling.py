"""Spelling suggestions ("did you mean"): the query as typed, with each word that is not a word of the index
replaced by the closest indexed word one edit away. Words the search does not forgive
(short words, numbers and codes: typos.py) are left as typed, and so is everything between the words. None when
nothing would change. One query, however many words."""

import re

from .typos import is_forgiven
from .vocabulary import words_within_one_edit

WORDS = re.compile(r"\w+")


def spelling_suggestion(text: str, *, config: str) -> str | None:
    typed = [word.lower() for word in WORDS.findall(text) if is_forgiven(word)]
    if not typed:
        return None
    forgiven = words_within_one_edit(typed, config=config)

    def corrected(match):
        word = match.group()
        found = forgiven.get(word.lower()) if is_forgiven(word) else None
        if found is None or found.indexed or word.lower() in found.stop_words or not found.neighbours:
            return word
        return _same_case(word, found.neighbours[0])  # the closest first (vocabulary.closest)

    suggestion = WORDS.sub(corrected, text)
    return suggestion if suggestion != text else None


def _same_case(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
