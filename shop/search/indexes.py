"""The shop's product index: Oscar's, plus what keyword search and facets need.

- `text` (the document): UPC, title, description without HTML, product class,
  category paths and attribute values, built here rather than in a template;
- `title` weighs more (boost: the PostgreSQL backend ranks title words first);
- `category_name` and `price_band` are facets. Both are multi-valued on purpose:
  Whoosh counts a multi-valued (keyword) field by whole values, a text field by words.
"""

from django.utils.html import strip_tags
from haystack import indexes
from oscar.apps.search import search_indexes as oscar_indexes

from .price_bands import price_band

OSCAR_PRODUCT_INDEX = "oscar.apps.search.search_indexes.ProductIndex"


class ProductIndex(oscar_indexes.ProductIndex):
    text = indexes.CharField(document=True)
    title = indexes.EdgeNgramField(model_attr="title", null=True, boost=2.0)
    category_name = indexes.MultiValueField(null=True, faceted=True)
    price_band = indexes.MultiValueField(null=True, faceted=True)

    def prepare_text(self, obj):
        parts = [
            obj.upc,
            obj.title,
            strip_tags(obj.description or ""),
            obj.get_product_class().name,
            *(category.full_name for category in obj.get_categories()),
            *(value.value_as_text for value in obj.get_attribute_values()),
        ]
        return "\n".join(str(part) for part in parts if part)

    def prepare_category_name(self, obj):
        return [category.full_name for category in obj.get_categories()]

    def prepare(self, obj):
        data = super().prepare(obj)
        band = price_band(data.get("price"))
        data["price_band"] = [band] if band else []
        return data
