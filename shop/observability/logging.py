import logging

from .context import request_id


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request or task id."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True
