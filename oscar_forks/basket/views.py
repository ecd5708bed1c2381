"""Adding to the basket writes a basket and a line: each client address may add SHOP_BASKET_ADD_RATE times a
minute; its form, shown on cached pages, posts without a token from the shop's own pages. The voucher form is a
code-guessing oracle: each client address may try a few codes per 15 minutes."""

from django.conf import settings
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from oscar.apps.basket import views

from shop.http.clients import client_key
from shop.http.throttle import throttle_hit
from shop.http.too_many import too_many_requests
from shop.pagecache.posts import same_origin_post
from shop.pricing.vat import basket_vat_summary

BASKET_ADD_WINDOW_SECONDS = 60


class BasketView(views.BasketView):
    """Oscar's basket page, with the VAT per rate that checkout and the invoice will state."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["vat_summary"] = basket_vat_summary(self.request.basket, context.get("shipping_charge"))
        return context


# Cached product and category pages show this form without a CSRF token: a post from the shop's own pages is taken
# without one (shop/pagecache/posts.py), so it works in one step without JavaScript.
@method_decorator(same_origin_post, name="dispatch")
class BasketAddView(views.BasketAddView):
    def post(self, request, *args, **kwargs):
        key = f"basket-add:{client_key(request)}"  # an IPv6 client counts by its /64
        if not throttle_hit(key, limit=settings.SHOP_BASKET_ADD_RATE, window_seconds=BASKET_ADD_WINDOW_SECONDS):
            return too_many_requests(
                request,
                message=_("Too many products were added from your connection. Please wait a minute, then try again."),
                retry_after_seconds=BASKET_ADD_WINDOW_SECONDS,
            )
        return super().post(request, *args, **kwargs)


class VoucherAddView(views.VoucherAddView):
    def post(self, request, *args, **kwargs):
        client = client_key(request)  # an IPv6 client counts by its /64
        if not throttle_hit(f"voucher-add:{client}", limit=settings.SHOP_VOUCHER_RATE, window_seconds=15 * 60):
            return render(request, "oscar/basket/voucher_throttled.html", status=429)
        return super().post(request, *args, **kwargs)
