"""Open Graph and Twitter card tags: what a link to a product page shows when it is shared."""

from dataclasses import dataclass

from django.utils.text import Truncator

from .offers import OfferSummary

DESCRIPTION_LENGTH = 200


@dataclass(frozen=True)
class MetaTag:
    attribute: str  # "property" for Open Graph, "name" for Twitter
    key: str
    content: str


def product_meta_tags(
    *, title: str, description: str, url: str, image_urls: list[str], offer: OfferSummary | None, site_name: str
) -> list[MetaTag]:
    """og:type product with title, description, image, canonical URL and price (a parent's lowest); a Twitter card."""
    description = Truncator(description).chars(DESCRIPTION_LENGTH)
    image = image_urls[0] if image_urls else ""
    tags = [
        ("property", "og:type", "product"),
        ("property", "og:site_name", site_name),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "og:image", image),
    ]
    if offer is not None:
        tags += [
            ("property", "product:price:amount", f"{offer.low_price:.2f}"),
            ("property", "product:price:currency", offer.currency),
            ("property", "product:availability", "in stock" if offer.in_stock else "out of stock"),
        ]
    tags += [
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", image),
    ]
    return [MetaTag(attribute, key, content) for attribute, key, content in tags if content]
