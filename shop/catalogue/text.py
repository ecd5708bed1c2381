"""Rich text (HTML) as plain text, for specifications, structured data and social previews."""

import html
import re

from django.utils.html import strip_tags

# Where a block ends a word ends too: "<p>One</p><p>Two</p>" reads "One Two", not "OneTwo".
BLOCK_BOUNDARY = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|td|th|tr|blockquote)\s*>", re.IGNORECASE)
WHITESPACE = re.compile(r"\s+")


def plain_text(rich_text: str) -> str:
    """Tags dropped, entities decoded, whitespace collapsed."""
    text = strip_tags(BLOCK_BOUNDARY.sub(" ", rich_text or ""))
    return WHITESPACE.sub(" ", html.unescape(text)).strip()
