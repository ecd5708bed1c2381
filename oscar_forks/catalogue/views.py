"""Oscar's product page, read in a fixed number of queries, with specifications, structured data (Product and
BreadcrumbList) and share tags, and the merchandisers' content from Wagtail (cms.ProductContent) when the product
has some, cached whole for anonymous visitors (shop/pagecache).

Only ProductDetailView is forked: Oscar's loader takes CatalogueView and ProductCategoryView from Oscar's own
catalogue views (which take them from the search app) when this module does not define them."""

from oscar.apps.catalogue import views

from cms.selectors import category_trail, product_content_live, with_product_content
from shop.branding.name import shop_name
from shop.catalogue.selectors import product_page, product_page_queryset
from shop.pagecache.services import page_cache_declare, page_is_shell


class ProductDetailView(views.ProductDetailView):
    #: The content to show instead of the live one: a draft, when Wagtail's editor previews it.
    preview_content = None

    def get(self, request, *args, **kwargs):
        page_cache_declare(request, product_ids=[kwargs["pk"]])  # before the product is read
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return with_product_content(product_page_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The trail passes through the product's first category (Oscar's own breadcrumbs choose the same one).
        trail = category_trail(self.object.get_categories().first(), request=self.request)
        context["product_page"] = product_page(
            self.object, strategy=self.request.strategy, site_name=shop_name(self.request), trail=trail
        )
        context["product_content"] = self.preview_content or product_content_live(self.object)
        return context

    def send_signal(self, request, response, product):
        # product_viewed sets the recently-viewed cookie and counts the view. A page cached whole must set no
        # cookie: there visitor.js asks /shop/visitor/ to record the view instead. An editor's preview is no
        # shopper's visit at all.
        if self.preview_content is None and not page_is_shell(request):
            super().send_signal(request, response, product)
