"""Oscar's product page, read in a fixed number of queries, with specifications, structured data and share tags.

Only ProductDetailView is forked: Oscar's loader takes CatalogueView and ProductCategoryView from Oscar's own
catalogue views (which take them from the search app) when this module does not define them."""

from oscar.apps.catalogue import views

from shop.catalogue.selectors import product_page, product_page_queryset


class ProductDetailView(views.ProductDetailView):
    def get_queryset(self):
        return product_page_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["product_page"] = product_page(self.object, strategy=self.request.strategy)
        return context
