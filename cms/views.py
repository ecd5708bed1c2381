from django.http import HttpResponseRedirect
from oscar.core.loading import get_class

from .models import CategoryPage

ProductCategoryView = get_class("catalogue.views", "ProductCategoryView")
oscar_category_view = ProductCategoryView.as_view()


def category_redirect(request, category_slug, pk):
    """Oscar's category URL: the category's live Wagtail page is its canonical address, so go there, keeping
    the query (a page number, a sort order, facets); without a live page, Oscar's own listing answers as before.

    302, not 301: the answer changes whenever an editor unpublishes the page or the category is renamed or
    moved, and a browser would keep a permanent redirect for good."""
    page = CategoryPage.objects.live().filter(category_id=pk).first()
    url = page.get_url(request) if page is not None else None
    if url is None:
        return oscar_category_view(request, category_slug=category_slug, pk=pk)
    return HttpResponseRedirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
