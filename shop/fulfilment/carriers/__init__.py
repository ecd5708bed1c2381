"""The carriers the shop can track with, configured in settings.SHOP_CARRIERS:

SHOP_CARRIERS = {"postnl": {"API_URL": ..., "API_KEY": ..., "PUSH_SECRET": ..., "TIMEOUT": 10}, "dhl": {...}}
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import Carrier, CarrierConfig
from .dhl import DHL
from .postnl import PostNL

ADAPTERS: dict[str, type[Carrier]] = {adapter.code: adapter for adapter in (PostNL, DHL)}


def _configured() -> dict[str, dict]:
    carriers = getattr(settings, "SHOP_CARRIERS", None)
    if not isinstance(carriers, dict):
        raise ImproperlyConfigured("settings.SHOP_CARRIERS must be a dict of carrier code -> API settings")
    unknown = sorted(set(carriers) - set(ADAPTERS))
    if unknown:
        raise ImproperlyConfigured(f"SHOP_CARRIERS names carriers without an adapter: {', '.join(unknown)}")
    return carriers


def carrier_for(code: str) -> Carrier:
    carriers = _configured()
    if code not in carriers:
        raise LookupError(f"No carrier {code!r} is configured; SHOP_CARRIERS has: {', '.join(carriers) or 'none'}")
    options = carriers[code]
    try:
        config = CarrierConfig(
            api_url=options["API_URL"],
            api_key=options["API_KEY"],
            push_secret=options.get("PUSH_SECRET", ""),
            timeout=float(options.get("TIMEOUT", 10)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"SHOP_CARRIERS[{code!r}] needs API_URL and API_KEY: {exc!r}") from exc
    return ADAPTERS[code](config)


def carrier_choices() -> list[tuple[str, str]]:
    return [(code, ADAPTERS[code].name) for code in _configured()]
