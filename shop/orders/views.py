"""Guests find their order by number and email address, a few tries at a time."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shop.core.clients import client_address
from shop.core.throttle import throttle_hit

from .forms import OrderLookupForm
from .selectors import guest_order_find

TEMPLATE = "shop/order_lookup.html"


@require_http_methods(["GET", "POST"])
def order_lookup(request):
    """Number + email → the order's signed page. A miss says the same whichever part was wrong;
    each client address, and each order number, gets SHOP_ORDER_LOOKUP_RATE tries per 15 minutes."""
    if request.method == "GET":
        return render(request, TEMPLATE, {"form": OrderLookupForm()})
    form = OrderLookupForm(request.POST)
    client = client_address(request)
    if not throttle_hit(f"order-lookup:{client}", limit=settings.SHOP_ORDER_LOOKUP_RATE, window_seconds=15 * 60):
        form.add_error(None, _("Too many attempts. Please wait 15 minutes, or use the link in your order email."))
        return render(request, TEMPLATE, {"form": form}, status=429)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    # Order numbers run in sequence: each number gets as many tries, however many addresses ask.
    number = form.cleaned_data["number"].strip()
    if not throttle_hit(f"order-lookup-number:{number}", limit=settings.SHOP_ORDER_LOOKUP_RATE, window_seconds=15 * 60):
        form.add_error(None, _("Too many attempts. Please wait 15 minutes, or use the link in your order email."))
        return render(request, TEMPLATE, {"form": form}, status=429)
    order = guest_order_find(number=form.cleaned_data["number"], email=form.cleaned_data["email"])
    if order is None:
        form.add_error(None, _("We could not find an order with this number and email address."))
        return render(request, TEMPLATE, {"form": form}, status=200)
    # Oscar's guest order page checks the signed link and the email address kept in the session.
    request.session["anon_order_email"] = order.email
    return redirect(reverse("customer:anon-order", args=(order.number, order.verification_hash())))
