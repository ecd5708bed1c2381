"""Oscar's back-in-stock alerts. The form is on a cached product page (an unavailable product's), without a CSRF
token: a post from the shop's own pages is taken without one (shop/pagecache/posts.py)."""

from django.utils.decorators import method_decorator
from oscar.apps.customer.alerts import views

from shop.pagecache.posts import same_origin_post


@method_decorator(same_origin_post, name="dispatch")
class ProductAlertCreateView(views.ProductAlertCreateView):
    pass
