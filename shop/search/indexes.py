"""The shop's product index: Oscar's, plus what keyword search and facets need.

- `text` (the document): UPC, title, description without HTML, product class,
  category paths and attribute values, built here rather than in a template;
- `title` weighs more (boost: the PostgreSQL backend ranks title words first);
- `category_name`, `price_band`, `availability` and `attribute` are facets (listing_facets.py), all
  multi-valued and so stored as lists of text: each value is counted and narrowed on whole, the same way for
  every facet.
"""

from haystack import indexes
from oscar.apps.search import search_indexes as oscar_indexes
from oscar.core.loading import get_model

from shop.catalogue.text import plain_text

from .listing_facets import attribute_facet_values, availability
from .price_bands import price_band

OSCAR_PRODUCT_INDEX = "oscar.apps.search.search_indexes.ProductIndex"


class ProductIndex(oscar_indexes.ProductIndex):
    text = indexes.CharField(document=True)
    title = indexes.EdgeNgramField(model_attr="title", null=True, boost=2.0)
    category_name = indexes.MultiValueField(null=True, faceted=True)
    price_band = indexes.MultiValueField(null=True, faceted=True)
    availability = indexes.MultiValueField(null=True, faceted=True)
    attribute = indexes.MultiValueField(null=True, faceted=True)

    _full_names: dict[int, str] | None = None  # category pk → full name, during a whole-index run
    _lineages: dict[int, list[int]] | None = None  # category pk → its ancestors' pks and its own, likewise

    def index_queryset(self, using=None):
        # What every prepare_* reads, fetched per batch instead of per product (update_index: ~10 queries a
        # product before). Oscar's own prefetch helpers feed get_categories() and get_attribute_values().
        self._full_names, self._lineages = category_names_and_lineages()
        return (
            super()
            .index_queryset(using)
            .select_related("product_class")
            .prefetch_browsable_categories()
            .prefetch_attribute_values(include_parent_children_attributes=True)
            .prefetch_related("stockrecords")
        )

    def update_object(self, instance, using=None, **kwargs):
        self._full_names = self._lineages = None  # one product (the search queue's task): the tree read fresh
        super().update_object(instance, using=using, **kwargs)

    def _category_names(self, obj) -> list[str]:
        names = self._full_names or {}
        return [names[c.pk] if c.pk in names else c.full_name for c in obj.get_categories()]

    def prepare_category(self, obj):
        # Every category the product is in, with their ancestors: a category page then asks for one id (one GIN
        # lookup on PostgreSQL) rather than its whole subtree (an OR per sub-category, read row by row).
        lineages = self._lineages or {}
        pks = set()
        for category in obj.get_categories():
            if category.pk in lineages:
                pks.update(lineages[category.pk])
            else:
                pks.update(c.pk for c in category.get_ancestors_and_self())
        return sorted(pks)

    def prepare_price(self, obj):
        return super().prepare_price(obj) if obj.is_parent or _stockrecords(obj) else None

    def prepare_num_in_stock(self, obj):
        return super().prepare_num_in_stock(obj) if not obj.is_parent and _stockrecords(obj) else None

    def prepare_text(self, obj):
        parts = [
            obj.upc,
            obj.title,
            plain_text(obj.description),
            obj.get_product_class().name,
            *self._category_names(obj),
            # In the attributes' order: the database returns the values in no set order, and a document that
            # changes with it would look like a changed listing to the index refresh (product_listing_face).
            *(value.value_as_text for value in sorted(obj.get_attribute_values(), key=lambda v: v.attribute_id)),
        ]
        return "\n".join(str(part) for part in parts if part)

    def prepare_availability(self, obj):
        strategy = self.get_strategy()
        purchase_info = strategy.fetch_for_parent(obj) if obj.is_parent else strategy.fetch_for_product(obj)
        return [availability(purchase_info)]

    def prepare_attribute(self, obj):
        return attribute_facet_values(obj)

    def prepare_category_name(self, obj):
        return self._category_names(obj)

    def prepare(self, obj):
        data = super().prepare(obj)
        band = price_band(data.get("price"))
        data["price_band"] = [band] if band else []
        return data


def _stockrecords(product) -> list:
    return list(product.stockrecords.all())  # prefetched by index_queryset; Oscar's has_stockrecords asks again


def category_names_and_lineages() -> tuple[dict[int, str], dict[int, list[int]]]:
    """Every category's full name ("Books > Fiction > Crime") and lineage (the pks of Books, Fiction, Crime),
    from one query, by walking the tree's paths."""
    Category = get_model("catalogue", "Category")
    by_path, names, lineages = {}, {}, {}
    for pk, path, name in Category.objects.order_by("path").values_list("pk", "path", "name"):
        parent = by_path.get(path[: -Category.steplen])
        names[pk] = f"{names[parent]}{Category._full_name_separator}{name}" if parent else name
        lineages[pk] = [*lineages[parent], pk] if parent else [pk]
        by_path[path] = pk
    return names, lineages
