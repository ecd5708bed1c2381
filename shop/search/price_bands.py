"""Price bands: a field facet, counted in the same pass as the other facets.

The band is indexed as the product's price band label; OSCAR_SEARCH_FACETS lists the
field, and Oscar's facet links narrow on the label.
"""

from decimal import Decimal

# (upper bound, exclusive; label). The last band has no upper bound.
PRICE_BANDS = (
    (Decimal("20"), "Under €20"),
    (Decimal("50"), "€20 to €50"),
    (Decimal("100"), "€50 to €100"),
    (Decimal("200"), "€100 to €200"),
    (None, "€200 and up"),
)


def price_band(price) -> str | None:
    if price is None:
        return None
    price = Decimal(str(price))
    for upper, label in PRICE_BANDS:
        if upper is None or price < upper:
            return label
    return None
