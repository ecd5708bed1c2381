from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .snippets import ProductContentViewSet
from .viewsets import product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset


register_snippet(ProductContentViewSet)
