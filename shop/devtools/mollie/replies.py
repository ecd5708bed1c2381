"""Replies of the Mollie simulator: HAL JSON for the API, HTML for the hosted pages, redirects back."""

from shop.devtools.loopback import Reply
from shop.devtools.loopback import json_reply as _json_reply

HAL_JSON = "application/hal+json"


def json_reply(status: int, data, content_type: str = HAL_JSON) -> Reply:
    return _json_reply(status, data, content_type)


def html_reply(status: int, html: str) -> Reply:
    return Reply(status, html.encode(), "text/html; charset=utf-8")


def redirect(location: str) -> Reply:
    return Reply(303, headers=(("Location", location),))
