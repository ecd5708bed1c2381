"""What the listings' availability and attribute facets index, and how a facet value reads back.

- Availability: "In stock" or "Out of stock", as the shop's pricing strategy sees a product (a parent is in
  stock when one of its variants is).
- Attributes: one multi-valued field, `attribute`, holding "code=value" for each attribute value of the
  product and of its variants (a parent "in Red and Blue" is found under both). One field serves every product
  class, so the index needs no change when staff add an attribute; the listing splits it back into one group
  per attribute (oscar_forks/search/facets.py) and narrows each group on its own (oscar_forks/search/forms.py).
  Only attributes with a short, shared vocabulary make useful facets: text, numbers, yes/no and options; rich
  text, dates, files and entities are left out.
"""

from oscar.core.loading import get_model

IN_STOCK = "In stock"
OUT_OF_STOCK = "Out of stock"
ATTRIBUTE_FIELD = "attribute"
FACETED_ATTRIBUTE_TYPES = frozenset({"text", "integer", "float", "boolean", "option", "multi_option"})
_SEPARATOR = "="


def availability(purchase_info) -> str:
    return IN_STOCK if purchase_info.availability.is_available_to_buy else OUT_OF_STOCK


def attribute_facet_values(product) -> list[str]:
    """The product's "code=value" pairs, its variants' included, each once, in a stable order."""
    values = []
    for item in _attribute_values(product):
        if item.attribute.type in FACETED_ATTRIBUTE_TYPES:
            values.extend(_encode(item.attribute.code, text) for text in _texts(item))
    return sorted(set(values))


def split(value: str) -> tuple[str, str]:
    """("brand", "Polder") from "brand=Polder"."""
    code, _, text = value.partition(_SEPARATOR)
    return code, text


def attribute_names(codes) -> dict[str, str]:
    """Attribute code → the name shoppers read, in one query (codes repeat across product classes)."""
    ProductAttribute = get_model("catalogue", "ProductAttribute")
    names = {}
    for code, name in ProductAttribute.objects.filter(code__in=set(codes)).values_list("code", "name"):
        names.setdefault(code, name)
    return names


def _attribute_values(product):
    yield from product.get_attribute_values()
    if product.is_parent:
        for child in product.children.all():
            yield from getattr(child, "_prefetched_attribute_values", None) or child.attribute_values.all()


def _texts(item) -> list[str]:
    kind = item.attribute.type
    if kind == "multi_option":
        return [option.option for option in item.value_multi_option.all()]
    if kind == "option":
        return [item.value_option.option] if item.value_option_id else []
    if kind == "boolean":
        return [] if item.value_boolean is None else ["Yes" if item.value_boolean else "No"]
    value = item.value
    return [] if value in (None, "") else [str(value)]


def _encode(code: str, text: str) -> str:
    # Commas become spaces: so every value indexed so far reads, and every facet link made from one (keeping
    # commas would need a full reindex and break shoppers' saved links).
    return f"{code}{_SEPARATOR}{' '.join(text.replace(',', ' ').split())}"
