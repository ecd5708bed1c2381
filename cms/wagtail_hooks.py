from wagtail import hooks
from wagtail.snippets.models import register_snippet

from shop.pagecache.services import page_cache_declare

from .models import CategoryPage
from .snippets import ProductContentViewSet
from .viewsets import product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset


@hooks.register("before_serve_page")
def cache_category_pages_whole(page, request, serve_args, serve_kwargs):
    """A category page and its `products/` listing are the same for every anonymous visitor: cached whole
    (shop/pagecache). Not behind a view restriction: a visitor let through by a password must not fill the
    cache others are served from."""
    if isinstance(page, CategoryPage) and not page.get_view_restrictions().exists():
        page_cache_declare(request)


register_snippet(ProductContentViewSet)
