from haystack.query import SearchQuerySet
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

MIN_LENGTH = 2  # one letter completes to half the catalogue
MAX_LENGTH = 100


def product_completions(*, text: str, limit: int = 8) -> list[dict]:
    """Products whose title has words starting with each word typed so far, for the search box."""
    text = " ".join(text.split())[:MAX_LENGTH]
    if len(text) < MIN_LENGTH:
        return []
    results = SearchQuerySet().models(Product).autocomplete(title=text).load_all()[:limit]
    return [
        {"title": result.title, "url": result.object.get_absolute_url()}
        for result in results
        if result.object is not None  # deleted, not yet out of the index
    ]
