"""Parse the Lucene-style query strings haystack hands a backend into a small tree.

Haystack builds one string per search (our `PostgresSearchQuery` writes it) and
callers add narrow queries as strings too; Oscar's facet narrows look like
`category_name:("Books" OR "Garden")` and `price:([0 TO 20] OR [60 TO *])`.
The subset understood here:

    teapot  "ceramic teapot"  tea*  *pot*  teapt~     free text (word, phrase, prefix, contains, fuzzy)
    field:value  field:"a phrase"  field:(a OR "b c")   a field; a group shares the field
    [a TO b]  {a TO *]  [* TO b}                       ranges, inclusive [ ] or exclusive { }
    a AND b   a b   a OR b   NOT a   -a   ( … )        implicit AND; OR binds looser than AND
    *                                                  everything

A backslash escapes the next character (haystack's `clean()` escapes reserved ones).
"""

import re
from dataclasses import dataclass

from haystack.exceptions import SearchBackendError


class QuerySyntaxError(SearchBackendError):
    pass


@dataclass(frozen=True)
class Term:
    field: str | None  # None: the document's text
    text: str
    kind: str = "word"  # word | phrase | prefix | contains | fuzzy


@dataclass(frozen=True)
class Range:
    field: str
    low: str | None  # None: open
    high: str | None
    include_low: bool = True
    include_high: bool = True


@dataclass(frozen=True)
class MatchAll:
    pass


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


KEYWORDS = {"AND", "OR", "NOT", "TO"}
BREAKS = set('()[]{}":') | {" ", "\t", "\n", "\r"}
BOOST = re.compile(r"(?<!\\)\^\d+(\.\d+)?$")


@dataclass(frozen=True)
class Token:
    kind: str  # ( ) [ ] { } AND OR NOT TO - FIELD PHRASE WORD STAR
    value: str = ""
    escaped: bool = False  # a WORD holding a backslash-escaped character (never a wildcard or keyword)


def tokenize(query: str) -> list[Token]:
    tokens, i = [], 0
    while i < len(query):
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()[]{}":
            tokens.append(Token(char))
            i += 1
        elif char == '"':
            text, i = _read_phrase(query, i + 1)
            tokens.append(Token("PHRASE", text))
        elif char in "-!" and i + 1 < len(query) and not query[i + 1].isspace():
            tokens.append(Token("NOT"))
            i += 1
        elif char == "+":
            i += 1  # "required" is what every term already is
        elif query.startswith(("&&", "||"), i):
            tokens.append(Token("AND" if char == "&" else "OR"))
            i += 2
        else:
            word, escaped, i = _read_word(query, i)
            if i < len(query) and query[i] == ":" and not escaped:
                tokens.append(Token("FIELD", word))
                i += 1
            elif word in KEYWORDS and not escaped:
                tokens.append(Token(word))
            elif word == "*" and not escaped:
                tokens.append(Token("STAR"))
            elif word:
                tokens.append(Token("WORD", word, escaped))
            else:
                raise QuerySyntaxError(f"Unexpected {query[i]!r} at {i} in {query!r}")
    return tokens


def _read_phrase(query: str, i: int) -> tuple[str, int]:
    chars = []
    while i < len(query):
        if query[i] == "\\" and i + 1 < len(query):
            chars.append(query[i + 1])
            i += 2
        elif query[i] == '"':
            return "".join(chars), i + 1
        else:
            chars.append(query[i])
            i += 1
    raise QuerySyntaxError(f"Unterminated phrase in {query!r}")


def _read_word(query: str, i: int) -> tuple[str, bool, int]:
    chars, escaped = [], False
    while i < len(query) and query[i] not in BREAKS:
        if query[i] == "\\" and i + 1 < len(query):
            chars.append("\\" + query[i + 1])  # kept escaped until the term is built
            escaped = True
            i += 2
        else:
            chars.append(query[i])
            i += 1
    return "".join(chars), escaped, i


def parse(query: str):
    parser = _Parser(tokenize(query))
    node = parser.parse_or(None)
    if parser.peek() is not None:
        raise QuerySyntaxError(f"Unexpected {parser.peek().kind} in {query!r}")
    return node


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.position = 0

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, kind=None):
        token = self.peek()
        if token is None or (kind and token.kind != kind):
            raise QuerySyntaxError(f"Expected {kind or 'a term'}, found {token.kind if token else 'the end'}")
        self.position += 1
        return token

    def parse_or(self, field):
        children = [self.parse_and(field)]
        while self.peek() and self.peek().kind == "OR":
            self.take()
            children.append(self.parse_and(field))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self, field):
        children = [self.parse_unary(field)]
        while self.peek() and self.peek().kind not in ("OR", ")"):
            if self.peek().kind == "AND":
                self.take()
            children.append(self.parse_unary(field))
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self, field):
        if self.peek() and self.peek().kind == "NOT":
            self.take()
            return Not(self.parse_unary(field))
        return self.parse_primary(field)

    def parse_primary(self, field):
        token = self.take()
        if token.kind == "FIELD":
            return self.parse_unary(token.value)
        if token.kind == "(":
            node = self.parse_or(field)
            self.take(")")
            return node
        if token.kind in ("[", "{"):
            return self.parse_range(field, include_low=token.kind == "[")
        if token.kind == "STAR":
            return MatchAll() if field is None else Range(field, None, None)
        if token.kind == "PHRASE":
            return Term(field, token.value, "phrase")
        if token.kind == "WORD":
            return _word_term(field, token)
        raise QuerySyntaxError(f"Unexpected {token.kind}")

    def parse_range(self, field, include_low):
        if field is None:
            raise QuerySyntaxError("A range needs a field")
        low = self.range_bound()
        self.take("TO")
        high = self.range_bound()
        closing = self.take()
        if closing.kind not in ("]", "}"):
            raise QuerySyntaxError(f"Expected ] or }} to close a range, found {closing.kind}")
        return Range(field, low, high, include_low, closing.kind == "]")

    def range_bound(self):
        token = self.take()
        if token.kind == "STAR":
            return None
        if token.kind in ("WORD", "PHRASE"):
            return _unescape(token.value) if token.kind == "WORD" else token.value
        raise QuerySyntaxError(f"Unexpected {token.kind} in a range")


def _word_term(field, token: Token) -> Term:
    raw = token.value
    raw = BOOST.sub("", raw)  # a boost does not change what matches
    kind = "word"
    tilde = raw.rfind("~")
    if tilde > 0 and raw[tilde - 1] != "\\":
        raw, kind = raw[:tilde], "fuzzy"  # "word~", "word~2", "word~2/3": any distance reads as fuzzy
    elif raw.startswith("*") and raw.endswith("*") and len(raw) > 2:
        raw, kind = raw[1:-1], "contains"
    elif raw.startswith("*") and len(raw) > 1:
        raw, kind = raw[1:], "contains"  # "*end": contains is the closest we index
    elif raw.endswith("*") and not raw.endswith("\\*") and len(raw) > 1:
        raw, kind = raw[:-1], "prefix"
    return Term(field, _unescape(raw), kind)


def _unescape(text: str) -> str:
    chars, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            chars.append(text[i + 1])
            i += 2
        else:
            chars.append(text[i])
            i += 1
    return "".join(chars)


def free_text_words(node) -> list[str]:
    """The positive free-text terms of a parsed query (what "did you mean" looks at)."""
    if isinstance(node, Term) and node.field is None:
        return [node.text]
    if isinstance(node, (And, Or)):
        return [word for child in node.children for word in free_text_words(child)]
    return []  # a NOT, a field, a range, everything
