"""The voucher form is a code-guessing oracle: each client address may try a few codes per 15 minutes."""

from django.conf import settings
from django.shortcuts import render
from oscar.apps.basket import views

from shop.core.clients import client_key
from shop.core.throttle import throttle_hit


class VoucherAddView(views.VoucherAddView):
    def post(self, request, *args, **kwargs):
        client = client_key(request)  # an IPv6 client counts by its /64
        if not throttle_hit(f"voucher-add:{client}", limit=settings.SHOP_VOUCHER_RATE, window_seconds=15 * 60):
            return render(request, "oscar/basket/voucher_throttled.html", status=429)
        return super().post(request, *args, **kwargs)
