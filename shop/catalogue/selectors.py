"""Reads of Oscar's catalogue, shaped for display (one query per relation)."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.safestring import SafeString
from oscar.core.loading import get_model

from shop.http.links import absolute_url

from .offers import offer_summary
from .social import MetaTag, product_meta_tags
from .specifications import Specification, product_specifications
from .structured_data import Crumb, breadcrumb_list_json_ld, json_ld_for_script, product_json_ld
from .text import plain_text

Product = get_model("catalogue", "Product")


def products_for_display(queryset):
    """Products with what a product card needs, fetched in a fixed number of queries.

    Oscar's base_queryset annotates the option flags the add-to-basket form
    reads and prefetches images (in display order) and stock records.
    """
    return queryset.base_queryset().select_related("parent__product_class")


def category_products_for_display(*, category, limit: int):
    """The newest browsable products of a category and its subcategories."""
    categories = category.get_descendants_and_self()
    queryset = Product.objects.browsable().filter(categories__in=categories).distinct().order_by("-date_created", "-pk")
    return list(products_for_display(queryset)[:limit])


def products_by_ids_for_display(ids: list[int]):
    """Products in the order of `ids` (editors' picks), skipping any that are gone."""
    found = {product.pk: product for product in products_for_display(Product.objects.browsable().filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


def product_page_queryset():
    """Products with all their page reads: stock, images, options, attribute values with their attributes (a
    child's parent's too), a parent's public children with their stock. A fixed number of queries per page."""
    public_children = Product.objects.public().prefetch_related("stockrecords")
    return (
        Product.objects.base_queryset()
        .prefetch_attribute_values()
        .prefetch_public_children(queryset=public_children)
        .prefetch_related("parent__images")
    )


@dataclass(frozen=True)
class ProductPage:
    """What a product page shows besides Oscar's own context."""

    canonical_url: str
    meta_description: str  # plain text, for <meta name="description">
    specifications: list[Specification]
    json_ld: SafeString  # the text of a <script type="application/ld+json">
    meta_tags: list[MetaTag]
    breadcrumbs: list[Crumb]  # home, the categories, the product itself
    breadcrumbs_json_ld: SafeString  # the same trail as a schema.org BreadcrumbList


def product_page(product, *, strategy, site_name: str, trail: list[Crumb]) -> ProductPage:
    """A product's page extras; prices and availability come from `strategy` (the request's), VAT included;
    `site_name` is the shop's name (shop.branding) for Open Graph; `trail` the breadcrumbs that lead to the product
    (home, then its first category and that category's ancestors, root first)."""
    path = product.get_absolute_url()
    url = absolute_url(path)
    image_urls = [_absolute(image.original.url) for image in product.get_all_images() if image.original]
    specifications = product_specifications(product)
    offer = offer_summary(product, strategy=strategy)
    parent = product.parent if product.is_child else None
    description = plain_text(product.description or (parent.description if parent else ""))
    meta_description = (
        plain_text(product.meta_description or (parent.meta_description if parent else "")) or description
    )
    json_ld = product_json_ld(
        name=product.get_title(),
        description=description,
        code=product.upc or "",
        url=url,
        image_urls=image_urls,
        specifications=specifications,
        offer=offer,
    )
    meta_tags = product_meta_tags(
        title=product.get_title(),
        description=meta_description,
        url=url,
        image_urls=image_urls,
        offer=offer,
        site_name=site_name,
    )
    breadcrumbs = [*trail, Crumb(name=product.get_title(), path=path)]
    return ProductPage(
        canonical_url=url,
        meta_description=meta_description,
        specifications=specifications,
        json_ld=json_ld_for_script(json_ld),
        meta_tags=meta_tags,
        breadcrumbs=breadcrumbs,
        breadcrumbs_json_ld=json_ld_for_script(breadcrumb_list_json_ld(breadcrumbs)),
    )


def _absolute(url: str) -> str:
    """Media URLs are paths on this site unless storage serves them from elsewhere (already absolute)."""
    return url if urlsplit(url).scheme else absolute_url(url)


def newest_product_ids(*, limit: int) -> list[int]:
    return list(Product.objects.browsable().order_by("-date_created", "-pk").values_list("pk", flat=True)[:limit])
