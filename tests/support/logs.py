"""Log lines as production writes them: the shop's JSON formatter, kept in memory for a test to read."""

import io
import json
import logging

from shop.observability.logging import json_formatter


class JsonLogs:
    """A handler on the root logger with the shop's JSON formatter (redaction included): every line any
    thread writes, rendered exactly as the log store would receive it."""

    def __init__(self):
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(json_formatter())

    def __enter__(self):
        logging.getLogger().addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        logging.getLogger().removeHandler(self.handler)

    @property
    def text(self) -> str:
        """Everything written, as text: what a search of the log store for a secret would look through."""
        return self.stream.getvalue()

    def lines(self, **fields) -> list[dict]:
        """The lines (one JSON object each) whose fields have these values."""
        parsed = [json.loads(line) for line in self.text.splitlines() if line.strip()]
        return [line for line in parsed if all(line.get(name) == value for name, value in fields.items())]
