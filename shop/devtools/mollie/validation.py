"""Checks on request bodies and query strings; every failure is a 422 that names the field, as Mollie does."""

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .errors import unprocessable
from .methods import METHODS, RECURRING_METHODS, MethodSpec, offered_methods
from .money import CURRENCY_PATTERN, VALUE_PATTERN, parse_amount

LOCALES = frozenset(
    "en_US en_GB nl_NL nl_BE de_DE de_AT de_CH fr_FR fr_BE es_ES ca_ES pt_PT it_IT nb_NO sv_SE fi_FI da_DK "
    "is_IS hu_HU pl_PL lv_LV lt_LT".split()
)
COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")
METADATA_LIMIT = 1024  # bytes of JSON, Mollie's limit
SEQUENCE_TYPES = ("oneoff", "first", "recurring")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MOLLIE_TIME_ZONE = ZoneInfo("Europe/Amsterdam")


def _object(body) -> dict:
    if not isinstance(body, dict):
        raise unprocessable("The request body must be a JSON object.")
    return body


def _text(body: dict, name: str, *, required: bool = False, limit: int = 255) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if value is None:
        raise unprocessable(f"The {name} is required.", name)
    if not isinstance(value, str) or not value.strip():
        raise unprocessable(f"The {name} must be a non-empty string.", name)
    if len(value) > limit:
        raise unprocessable(f"The {name} may not be longer than {limit} characters.", name)
    return value


def _url(body: dict, name: str, *, required: bool = False) -> str | None:
    value = _text(body, name, required=required, limit=2048)
    if value is not None:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise unprocessable(f"The {name} must be an absolute http(s) URL.", name)
    return value


def _metadata(body: dict):
    metadata = body.get("metadata")
    if len(json.dumps(metadata).encode()) > METADATA_LIMIT:
        raise unprocessable(f"The metadata may not be larger than {METADATA_LIMIT} bytes of JSON.", "metadata")
    return metadata


def _billing_address(body: dict) -> dict | None:
    address = body.get("billingAddress")
    if address is None:
        return None
    if not isinstance(address, dict):
        raise unprocessable("The billing address must be an object.", "billingAddress")
    country = address.get("country")
    if country is not None and (not isinstance(country, str) or not COUNTRY_PATTERN.match(country)):
        raise unprocessable("The country must be an ISO 3166-1 alpha-2 code.", "billingAddress.country")
    return address


def _due_date(body: dict) -> str | None:
    """A bank transfer's dueDate: YYYY-MM-DD, from tomorrow to 100 days after tomorrow."""
    value = body.get("dueDate")
    if value is None:
        return None
    try:
        due = date.fromisoformat(value) if isinstance(value, str) and DATE_PATTERN.match(value) else None
    except ValueError:
        due = None
    if due is None:
        raise unprocessable("The due date must be a date in YYYY-MM-DD format.", "dueDate")
    tomorrow = datetime.now(MOLLIE_TIME_ZONE).date() + timedelta(days=1)
    if not tomorrow <= due <= tomorrow + timedelta(days=100):
        raise unprocessable("The due date must be from tomorrow to 100 days after tomorrow.", "dueDate")
    return value


def _requested_methods(method) -> list[str]:
    requested = [method] if isinstance(method, str) else method
    if requested is None:
        return []
    if not isinstance(requested, list) or not requested:
        raise unprocessable("The method must be a method id or a list of method ids.", "method")
    for candidate in requested:
        if candidate not in METHODS:
            raise unprocessable(f"The payment method {candidate!r} is invalid or not activated.", "method")
    return requested


def payment_fields(body) -> dict:
    """The keyword arguments for state.new_payment, from a create-payment request body."""
    body = _object(body)
    value, currency = parse_amount(body.get("amount"))
    description = _text(body, "description", required=True)
    redirect_url = _url(body, "redirectUrl", required=True)
    locale = body.get("locale")
    if locale is not None and locale not in LOCALES:
        raise unprocessable(f"The locale {locale!r} is not supported.", "locale")
    if body.get("sequenceType", "oneoff") != "oneoff":
        raise unprocessable("The simulator supports one-off payments only.", "sequenceType")
    capture_mode = body.get("captureMode")
    if capture_mode not in (None, "automatic", "manual"):
        raise unprocessable("The capture mode must be automatic or manual.", "captureMode")
    billing_address = _billing_address(body)

    requested = _requested_methods(body.get("method"))
    for method_id in requested:
        spec = METHODS[method_id]
        if currency not in spec.currencies:
            raise unprocessable(f"{spec.description} does not support payments in {currency}.", "amount.currency")
        if not spec.offered(value=value, currency=currency, billing_country=None):
            raise unprocessable(f"The amount is outside the limits of {spec.description}.", "amount.value")
    if requested:
        choices = requested
    else:
        country = (billing_address or {}).get("country")
        choices = [spec.id for spec in offered_methods(value=value, currency=currency, billing_country=country)]
    if capture_mode == "manual":
        choices = [m for m in choices if METHODS[m].authorizes]
        if not choices:
            raise unprocessable("Manual capture is only available for pay later methods (klarna).", "captureMode")
    if not choices:
        raise unprocessable("No payment method is available for this amount and currency.", "amount")

    return {
        "amount": value,
        "currency": currency,
        "description": description,
        "redirect_url": redirect_url,
        "webhook_url": _url(body, "webhookUrl"),
        "cancel_url": _url(body, "cancelUrl"),
        "metadata": _metadata(body),
        "locale": locale,
        "billing_address": billing_address,
        "method": requested[0] if len(requested) == 1 else None,
        "choices": tuple(choices),
        "capture_mode": capture_mode,
        "due_date": _due_date(body),
    }


def refund_fields(body) -> dict:
    body = _object(body)
    if body.get("amount") is None:
        raise unprocessable("The amount is required for payments.", "amount")
    amount, currency = parse_amount(body["amount"])
    return {
        "amount": amount,
        "currency": currency,
        "description": _text(body, "description") or "",
        "metadata": _metadata(body),
    }


def capture_fields(body) -> dict:
    body = _object(body if body is not None else {})
    amount, currency = parse_amount(body["amount"]) if body.get("amount") is not None else (None, None)
    return {
        "amount": amount,
        "currency": currency,
        "description": _text(body, "description") or "",
        "metadata": _metadata(body),
    }


def methods_for_query(query: dict[str, str]) -> list[MethodSpec]:
    """The methods GET /v2/methods offers for its query string (amount, billingCountry, sequenceType)."""
    value, currency = query.get("amount[value]"), query.get("amount[currency]")
    if (value is None) != (currency is None):
        raise unprocessable("Give both amount[value] and amount[currency], or neither.", "amount")
    if value is not None:
        if not VALUE_PATTERN.match(value) or Decimal(value) <= 0:
            raise unprocessable("The amount value must be a positive number with two decimals.", "amount.value")
        if not CURRENCY_PATTERN.match(currency):
            raise unprocessable("The currency must be an ISO 4217 code.", "amount.currency")
    country = query.get("billingCountry")
    if country is not None and not COUNTRY_PATTERN.match(country):
        raise unprocessable("The billing country must be an ISO 3166-1 alpha-2 code.", "billingCountry")
    sequence_type = query.get("sequenceType", "oneoff")
    if sequence_type not in SEQUENCE_TYPES:
        raise unprocessable(f"The sequence type must be one of {', '.join(SEQUENCE_TYPES)}.", "sequenceType")
    offered = offered_methods(
        value=Decimal(value) if value is not None else None, currency=currency, billing_country=country
    )
    return [spec for spec in offered if sequence_type == "oneoff" or spec.id in RECURRING_METHODS]
