"""A category page's products: Oscar's category listing (haystack: facets, sorting, paging) rendered at the
Wagtail page's own address, in the page's template, so the editors' hero, intro and blocks frame the listing.

Every choice a shopper makes (facets, sort order, page) is in the query string: a filtered listing can be
shared, bookmarked and cached by its URL."""

from oscar.core.loading import get_class

ProductCategoryView = get_class("catalogue.views", "ProductCategoryView")


class CategoryPageListingView(ProductCategoryView):
    template_name = "cms/category_page.html"
    enforce_paths = False  # the page's URL is the canonical one, not Oscar's
    page = None  # the CategoryPage (or its draft, in the editor's preview)

    def get_category(self):
        return self.page.category

    def is_viewable(self, category, request):
        return True  # the page is live (Wagtail serves only those) or being previewed by its editor

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.page.get_context(self.request))
        if context.get("selected_facets"):  # a way back even when the choices left nothing (and no facets) to show
            query = self.request.GET.copy()
            query.pop("selected_facets", None)
            query.pop("page", None)
            context["clear_filters_url"] = f"{self.request.path}?{query.urlencode()}" if query else self.request.path
        return context
