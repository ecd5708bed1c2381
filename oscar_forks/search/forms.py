from collections import defaultdict

from haystack.forms import FacetedSearchForm
from oscar.apps.search import forms

from shop.search.listing_facets import ATTRIBUTE_FIELD, split


class NarrowsEachAttributeMixin:
    """Oscar narrows each facet field once, OR-ing its chosen values. Every attribute shares one field
    (shop/search/listing_facets.py), so "Brand: Polder" and "Colour: Red" would mean either one; here each
    attribute is its own group: values of one attribute are OR-ed, different attributes AND-ed."""

    def narrowing_groups(self) -> list[tuple[str, list[str]]]:
        groups = []
        for field, values in self.selected_multi_facets.items():
            if field != ATTRIBUTE_FIELD:
                groups.append((field, values))
                continue
            by_code = defaultdict(list)
            for value in values:
                by_code[split(value)[0]].append(value)
            groups.extend((field, chosen) for chosen in by_code.values())
        return groups

    def search(self):
        # haystack's plain search (the query, or every product when browsing), then our narrows and sorting.
        sqs = super(FacetedSearchForm, self).search()
        for field, values in self.narrowing_groups():
            if values:
                quoted = " OR ".join(f'"{sqs.query.clean(value)}"' for value in values)
                sqs = sqs.narrow(f"{field}:({quoted})")
        sort_field = self.SORT_BY_MAP.get(self.cleaned_data.get("sort_by")) if self.is_valid() else None
        return sqs.order_by(sort_field) if sort_field else sqs


class SearchForm(NarrowsEachAttributeMixin, forms.SearchForm):
    pass


class BrowseCategoryForm(NarrowsEachAttributeMixin, forms.BrowseCategoryForm):
    pass


class CategoryForm(NarrowsEachAttributeMixin, forms.CategoryForm):
    def no_query_found(self):
        # The index lists each product under its categories' ancestors too (shop/search/indexes.py): the
        # category alone finds its subtree's products, where Oscar asks for every sub-category by id.
        category = min(self.categories, key=lambda category: category.depth)
        return forms.BrowseCategoryForm.no_query_found(self).filter(category=category.pk)
