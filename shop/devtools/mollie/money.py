"""Amounts as Mollie writes them: {"currency": "EUR", "value": "10.00"}, the value always a string."""

import re
from decimal import Decimal

from .errors import unprocessable

VALUE_PATTERN = re.compile(r"^\d+\.\d{2}$")
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")


def money(value: Decimal, currency: str) -> dict:
    return {"value": f"{value:.2f}", "currency": currency}


def parse_amount(amount, field: str = "amount") -> tuple[Decimal, str]:
    """Validate an amount object from a request body; 422 names the offending sub-field."""
    if not isinstance(amount, dict):
        raise unprocessable(f"The {field} is required and must be an object with currency and value.", field)
    currency, value = amount.get("currency"), amount.get("value")
    if not isinstance(currency, str) or not CURRENCY_PATTERN.match(currency):
        raise unprocessable("The currency must be an ISO 4217 code of three capital letters.", f"{field}.currency")
    if not isinstance(value, str) or not VALUE_PATTERN.match(value):
        raise unprocessable(
            'The amount value must be a string with exactly two decimals, e.g. "10.00".', f"{field}.value"
        )
    parsed = Decimal(value)
    if parsed <= 0:
        raise unprocessable("The amount must be higher than 0.00.", f"{field}.value")
    return parsed, currency
