"""Reads of Oscar's catalogue, shaped for display (one query per relation)."""

from oscar.core.loading import get_model

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
