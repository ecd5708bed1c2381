"""schema.org data (JSON-LD) for the storefront's pages: a product page's Product, a BreadcrumbList for product and
category pages; built as dicts and escaped for an inline script. tests/support/schema_org.py checks every type and
property used against schema.org's vocabulary."""

import json
import re
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from shop.http.links import absolute_url

from .offers import OfferSummary
from .specifications import Specification

IN_STOCK = "https://schema.org/InStock"
OUT_OF_STOCK = "https://schema.org/OutOfStock"
NEW_CONDITION = "https://schema.org/NewCondition"
# A GTIN is 8, 12, 13 or 14 digits (EAN-8, UPC-A, EAN-13, GTIN-14); any other product code is only a SKU.
GTIN = re.compile(r"^(\d{8}|\d{12,14})$")
# Inside <script> only "</script" (and "<!--") can end the element early; escaping <, > and & as JSON
# unicode escapes (as Django's json_script does) keeps any title or description inside the JSON.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def product_json_ld(
    *,
    name: str,
    description: str,
    code: str,
    url: str,
    image_urls: list[str],
    specifications: list[Specification],
    offer: OfferSummary | None,
) -> dict:
    """A schema.org Product: an Offer for one product, an AggregateOffer over a parent's variants."""
    data = {"@context": "https://schema.org", "@type": "Product", "name": name, "url": url}
    if description:
        data["description"] = description
    if code:
        data["sku"] = code
        if GTIN.match(code):
            data["gtin"] = code
    if image_urls:
        data["image"] = image_urls
    brand = next((spec.value for spec in specifications if "brand" in (spec.code.lower(), spec.name.lower())), None)
    if brand:
        data["brand"] = {"@type": "Brand", "name": brand}
    if offer is not None:
        data["offers"] = _offers(offer, url=url)
    return data


def _offers(offer: OfferSummary, *, url: str) -> dict:
    common = {
        "priceCurrency": offer.currency,
        "availability": IN_STOCK if offer.in_stock else OUT_OF_STOCK,
        "itemCondition": NEW_CONDITION,
        "url": url,
    }
    if offer.count == 1:
        return {"@type": "Offer", "price": _amount(offer.low_price), **common}
    return {
        "@type": "AggregateOffer",
        "lowPrice": _amount(offer.low_price),
        "highPrice": _amount(offer.high_price),
        "offerCount": offer.count,
        **common,
    }


def _amount(amount) -> str:
    return f"{amount:.2f}"


@dataclass(frozen=True)
class Crumb:
    """One step of a page's breadcrumb trail: its name and its path on this site."""

    name: str
    path: str


def breadcrumb_list_json_ld(crumbs: list[Crumb]) -> dict:
    """A schema.org BreadcrumbList of `crumbs`, root first, each at its absolute URL (SHOP_BASE_URL)."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": crumb.name, "item": absolute_url(crumb.path)}
            for position, crumb in enumerate(crumbs, start=1)
        ],
    }


def json_ld_for_script(data: dict) -> SafeString:
    """The JSON text to put between <script type="application/ld+json"> and </script>."""
    # reviewed: <, > and & are escaped (SCRIPT_ESCAPES), so no value can close the script element
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES))  # nosec B308 B703
