"""The thin edge to Mollie: the calls the shop makes, with Mollie's errors turned into ours.

Nothing here touches the database; services decide what a call means.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from mollie.api.error import RequestError, ResponseError, ResponseHandlingError
from mollie.api.objects.payment import Payment as MolliePayment

from shop.observability import instruments

from .errors import ProviderRefused, ProviderUnavailable
from .mollie import mollie_client

logger = logging.getLogger(__name__)


def expected_mode() -> str:
    """The mode Mollie reports for payments made with our key: live money only with a live key."""
    return "live" if settings.MOLLIE_API_KEY.startswith("live_") else "test"


def mollie_locale() -> str:
    """The locale Mollie's pages speak to the shopper in."""
    return "nl_NL" if translation.get_language() and translation.get_language().startswith("nl") else "en_US"


def money(amount: Decimal, currency: str) -> dict:
    """Mollie's amount object: a string with exactly two decimals."""
    return {"currency": currency, "value": f"{amount:.2f}"}


def _call(operation: str, about: str, fn, *args, **kwargs):
    """Call Mollie for `operation` (counted by it) on the payment `about` ("" for none)."""
    description = f"{operation} {about}".strip()
    try:
        result = fn(*args, **kwargs)
    except (RequestError, ResponseHandlingError) as exc:
        logger.warning("mollie: %s failed: %s", description, exc)
        instruments.mollie_requests.labels(operation=operation, outcome="unavailable").inc()
        raise ProviderUnavailable(str(exc)) from exc
    except ResponseError as exc:
        logger.warning("mollie: %s answered %s: %s (field %s)", description, exc.status, exc, exc.field)
        if exc.status and exc.status >= 500:
            instruments.mollie_requests.labels(operation=operation, outcome="unavailable").inc()
            raise ProviderUnavailable(str(exc)) from exc
        instruments.mollie_requests.labels(operation=operation, outcome="refused").inc()
        raise ProviderRefused(str(exc)) from exc
    instruments.mollie_requests.labels(operation=operation, outcome="ok").inc()
    return result


def create_payment(data: dict, *, idempotency_key: str) -> dict:
    return dict(_call("create payment", "", mollie_client().payments.create, data, idempotency_key=idempotency_key))


def get_payment(mollie_id: str) -> dict:
    return dict(_call("get payment", mollie_id, mollie_client().payments.get, mollie_id))


def cancel_payment(mollie_id: str) -> dict:
    return dict(_call("cancel payment", mollie_id, mollie_client().payments.delete, mollie_id))


def _payment_ref(mollie_id: str) -> MolliePayment:
    # Sub-resources (refunds, chargebacks, captures) only need the payment's id: no fetch.
    return MolliePayment({"id": mollie_id}, mollie_client())


def list_refunds(mollie_id: str) -> list[dict]:
    return [dict(refund) for refund in _call("list refunds", mollie_id, _payment_ref(mollie_id).refunds.list)]


def create_refund(mollie_id: str, data: dict, *, idempotency_key: str) -> dict:
    refunds = _payment_ref(mollie_id).refunds
    return dict(_call("create refund", mollie_id, refunds.create, data, idempotency_key=idempotency_key))


def list_chargebacks(mollie_id: str) -> list[dict]:
    chargebacks = _payment_ref(mollie_id).chargebacks
    return [dict(chargeback) for chargeback in _call("list chargebacks", mollie_id, chargebacks.list)]


def capture_payment(mollie_id: str, *, idempotency_key: str) -> dict:
    captures = _payment_ref(mollie_id).captures
    return dict(_call("capture payment", mollie_id, captures.create, {}, idempotency_key=idempotency_key))


def list_methods(*, amount: Decimal, currency: str, country: str, locale: str) -> list[dict]:
    params = {"amount": money(amount, currency), "billingCountry": country, "locale": locale, "sequenceType": "oneoff"}
    return [dict(method) for method in _call("list methods", "", mollie_client().methods.list, **params)]
