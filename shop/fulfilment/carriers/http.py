"""What every adapter does over HTTP: one GET with the carrier's key, failures mapped to the shop's errors."""

import time
from collections.abc import Mapping

import requests
import structlog

from shop.observability.context import request_id_get

from .base import CarrierConfig, CarrierUnavailable

logger = structlog.get_logger(__name__)


class CarrierAuthenticationFailed(CarrierUnavailable):
    """The carrier refused our API key (401/403). A CarrierUnavailable, so polls keep retrying while
    staff fix SHOP_CARRIERS; its own class so logs and alerts can tell a wrong key from an outage."""


def carrier_get(
    config: CarrierConfig,
    path: str,
    *,
    carrier: str,
    headers: Mapping[str, str],
    params: Mapping[str, str] | None = None,
) -> requests.Response:
    """GET api_url + path. Raises CarrierUnavailable for anything worth retrying later (network, timeout,
    429, 5xx) and CarrierAuthenticationFailed for 401/403; every other answer is the adapter's to read."""
    url = config.api_url.rstrip("/") + path
    headers = {**headers, **({"X-Request-Id": request_id} if (request_id := request_id_get()) else {})}
    started = time.monotonic()
    try:
        # No redirects: a carrier API that redirects is misconfigured, and a redirect would drop the key header.
        response = requests.get(url, headers=headers, params=params, timeout=config.timeout, allow_redirects=False)
    except requests.Timeout as exc:
        logger.warning("carrier call failed", carrier=carrier, path=path, error="timeout")
        raise CarrierUnavailable(f"{carrier} did not answer within {config.timeout:g} s") from exc
    except requests.RequestException as exc:
        logger.warning("carrier call failed", carrier=carrier, path=path, error=str(exc))
        raise CarrierUnavailable(f"{carrier} could not be reached: {exc}") from exc
    duration_ms = round((time.monotonic() - started) * 1000)
    logger.info("carrier call", carrier=carrier, path=path, status=response.status_code, duration_ms=duration_ms)
    if response.status_code in (401, 403):
        raise CarrierAuthenticationFailed(
            f"{carrier} refused the API key (HTTP {response.status_code}): check API_KEY in SHOP_CARRIERS"
        )
    if response.status_code == 429:
        retry_after = response.headers.get("Retry-After")
        hint = f", retry after {retry_after} s" if retry_after else ""
        raise CarrierUnavailable(f"{carrier} rate-limited us (HTTP 429{hint})")
    if response.status_code >= 500:
        raise CarrierUnavailable(f"{carrier} failed (HTTP {response.status_code})")
    return response


def json_of(response: requests.Response, *, carrier: str):
    """The decoded body; a 2xx that is not JSON is the carrier's fault, so worth a later retry."""
    try:
        return response.json()
    except ValueError as exc:
        raise CarrierUnavailable(f"{carrier} answered HTTP {response.status_code} without JSON") from exc


def header(headers: Mapping[str, str], name: str) -> str:
    """A header's value whatever the mapping's case rules (Django's request.headers or a plain dict)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return ""
