"""Reads of Oscar's catalogue, shaped for display (one query per relation)."""

from dataclasses import dataclass

from oscar.core.loading import get_model

from .specifications import Specification, product_specifications

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

    specifications: list[Specification]


def product_page(product) -> ProductPage:
    """A product's page extras."""
    return ProductPage(specifications=product_specifications(product))
