from collections import defaultdict

from oscar.apps.search import facets

from shop.search.listing_facets import ATTRIBUTE_FIELD, attribute_names, split


class FacetMunger(facets.FacetMunger):
    """Oscar's facet data for the listing's sidebar, with the shared attribute field (shop/search/
    listing_facets.py) split into one group per attribute ("Brand", "Colour"), each named as staff named the
    attribute and showing bare values. A group's counts are hidden once one of its values is chosen, as Oscar
    does for a field: the other values then widen the listing rather than narrow it."""

    def munge_field_facet(self, key, facet, clean_data):
        if facet["field"] != ATTRIBUTE_FIELD:
            return super().munge_field_facet(key, facet, clean_data)
        by_code = defaultdict(list)
        for value, count in self.facet_counts["fields"].get(key) or []:
            by_code[split(value)[0]].append((value, count))
        chosen = self.selected_facets.get(ATTRIBUTE_FIELD, [])
        chosen_codes = {split(value)[0] for value in chosen}
        names = attribute_names(by_code)
        for code, counts in sorted(by_code.items(), key=lambda item: names.get(item[0], item[0])):
            results = [
                self._datum(value, count, selected=value in chosen, group_chosen=code in chosen_codes)
                for value, count in _in_reading_order(counts)
            ]
            clean_data[f"{key}:{code}"] = {"name": names.get(code, code), "results": results}

    def _datum(self, value, count, *, selected, group_chosen):
        selector = f"{ATTRIBUTE_FIELD}:{value}"
        datum = {
            "name": split(value)[1],
            "count": count,
            "show_count": not group_chosen,
            "disabled": count == 0 and not group_chosen,
            "selected": selected,
        }
        if selected:
            datum["deselect_url"] = self.strip_pagination(self.base_url.remove_query_param("selected_facets", selector))
        else:
            datum["select_url"] = self.strip_pagination(self.base_url.append_query_param("selected_facets", selector))
        return datum


def _in_reading_order(counts):
    """Numbers (pages, watts) read best in ascending order; words by how many products have them."""
    texts = [split(value)[1] for value, _count in counts]
    if all(_is_number(text) for text in texts):
        return sorted(counts, key=lambda item: float(split(item[0])[1]))
    return counts


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
