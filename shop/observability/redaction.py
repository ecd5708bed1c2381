"""What never reaches a log line: passwords, secrets, tokens, full email addresses and card numbers.

`redact` runs on every line, the shop's own and every library's, just before it is rendered:
- a field whose name says it holds a secret (password, token, secret, authorization, api key, cookie,
  card, ...) is replaced whole;
- in every text, an email address keeps its first letter and its domain (j***@example.com), a card-like
  number (13 to 19 digits passing the Luhn check) becomes [card], and in a URL or path the parts that are
  keys (a password-reset or email-confirmation key, an order's signed link, a wishlist key) and secret
  query parameters become [redacted].
"""

import re
from functools import lru_cache

from django.apps import apps
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

REDACTED = "[redacted]"
SECRET_FIELD = re.compile(
    r"pass(word|wd|phrase)?|secret|token|authori[sz]ation|api_?key|cookie|csrf|card|cvc|cvv|iban|signature",
    re.IGNORECASE,
)
# Fields that hold an address on purpose and no person's: a Message-ID is <email-1.ab12@shop-domain>.
LEFT_AS_IS = frozenset({"message_id", "timestamp", "level", "logger"})
EMAIL = re.compile(
    r"(?P<first>[A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)
CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
URL = re.compile(r"(?P<origin>https?://[^/\s\"'<>]+)?(?P<path>/[^\s\"'<>?#]*)(?P<query>\?[^\s\"'<>#]*)?")
# URL arguments that are keys: whoever has the link gets in (allauth, Oscar, Django's own views).
SECRET_URL_ARGUMENTS = frozenset({"key", "hash", "token", "uidb36", "uidb64", "to_key", "signature"})
SECRET_QUERY_PARAMETER = re.compile(r"^(key|code|state|sig|hash)$|" + SECRET_FIELD.pattern, re.IGNORECASE)


def redact(logger, method_name, event_dict: dict) -> dict:
    """A structlog processor: the event with every secret masked."""
    return {name: value if name in LEFT_AS_IS else _value(name, value) for name, value in event_dict.items()}


def _value(name, value):
    if isinstance(name, str) and SECRET_FIELD.search(name) and value not in (None, ""):
        return REDACTED
    if isinstance(value, str):
        return text_redact(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {key: _value(key, item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_value("", item) for item in value]
    return text_redact(str(value))


def text_redact(text: str) -> str:
    if "@" in text:
        text = EMAIL.sub(lambda match: f"{match['first']}***@{match['domain']}", text)
    if "/" in text:
        text = URL.sub(_url_redact, text)
    return CARD.sub(_card_redact, text)


def _card_redact(match: re.Match) -> str:
    digits = [int(char) for char in match.group() if char.isdigit()]
    return "[card]" if 13 <= len(digits) <= 19 and _luhn_valid(digits) else match.group()


def _luhn_valid(digits: list[int]) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _url_redact(match: re.Match) -> str:
    try:
        path = path_redact(match["path"]) if apps.ready else match["path"]
    except Exception:  # a path the URLconf chokes on: masked whole rather than risked (and logging goes on)
        path = "/" + REDACTED
    return f"{match['origin'] or ''}{path}{_query_redact(match['query'] or '')}"


def _query_redact(query: str) -> str:
    if not query:
        return query
    pairs = []
    for pair in query[1:].split("&"):
        name, equals, value = pair.partition("=")
        pairs.append(f"{name}={REDACTED}" if equals and value and SECRET_QUERY_PARAMETER.search(name) else pair)
    return "?" + "&".join(pairs)


@lru_cache(maxsize=4096)
def path_redact(path: str) -> str:
    """`path` with the URL arguments that are keys replaced, found by resolving it as Django would."""
    try:
        match = resolve(path)
    except (Resolver404, ValueError):
        return path
    if not SECRET_URL_ARGUMENTS.intersection(match.kwargs):
        return path
    kwargs = {name: "redacted" if name in SECRET_URL_ARGUMENTS else value for name, value in match.kwargs.items()}
    try:
        return reverse(match.view_name, kwargs=kwargs)
    except NoReverseMatch:  # a view without a name: its route, without any of the values
        return "/" + match.route
