from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from oscar.apps.search.views import base
from oscar.core.loading import get_model

from cms.selectors import content_pages_matching
from shop.catalogue.selectors import products_for_display
from shop.pagecache.services import page_cache_declare

Product = get_model("catalogue", "Product")


class BaseSearchView(base.BaseSearchView):
    """Oscar's listings render each result's product (`result.object`): a query per card, then its options,
    images and stock records one card at a time. Here the page's products, with all a card needs, are read
    in a fixed number of queries whatever the page size, and handed to the results before rendering."""

    def get(self, request, *args, **kwargs):
        # Browsing (no keywords) is the same for every anonymous visitor: cached whole like the category pages
        # (shop/pagecache). Keyword searches are not: every phrasing would be a cache entry of its own.
        if not request.GET.get("q"):
            page_cache_declare(request)
        return super().get(request, *args, **kwargs)

    def get_paginate_by(self, queryset):
        return settings.OSCAR_PRODUCTS_PER_PAGE

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        results = [result for result in context["page_obj"].object_list if result.model is Product]
        products = products_for_display(Product.objects.filter(pk__in=[result.pk for result in results]))
        by_pk = {str(product.pk): product for product in products}
        for result in results:
            result._object = by_pk.get(str(result.pk))  # haystack's cache behind result.object
        # "Did you mean": the whole phrase with its slips corrected, linked, whether or not the search found
        # products through them (Oscar shows its own only when nothing was found, with the phrase unescaped).
        suggestion = context.pop("suggestion", None)
        if suggestion:
            context["did_you_mean"] = {
                "phrase": suggestion,
                "url": f"{reverse('search:search')}?{urlencode({'q': suggestion})}",
            }
        if context.get("query"):  # a keyword search (the browse listings have none): editors' pages too
            context["content_pages"] = content_pages_matching(context["query"], corrected=suggestion)
        return context
