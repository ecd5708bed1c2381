"""Guests find their order by number and email address, a few tries at a time."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shop.http.clients import client_key

from .forms import OrderLookupForm
from .lookup import LookupAnswer, order_lookup_attempt

TEMPLATE = "shop/order_lookup.html"


@require_http_methods(["GET", "POST"])
def order_lookup(request):
    """Number + email → the order's signed page. A miss says the same whichever part was wrong; how many
    tries each client and each number get, and what is said once a number's misses are spent: shop/orders/lookup.py."""
    if request.method == "GET":
        return render(request, TEMPLATE, {"form": OrderLookupForm()})
    form = OrderLookupForm(request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    lookup = order_lookup_attempt(
        number=form.cleaned_data["number"], email=form.cleaned_data["email"], client=client_key(request)
    )
    if lookup.answer is LookupAnswer.TOO_MANY:
        form.add_error(None, _("Too many attempts. Please wait 15 minutes, or use the link in your order email."))
        return render(request, TEMPLATE, {"form": form}, status=429)
    if lookup.answer is LookupAnswer.LINK_EMAILED:
        notice = _("If this number and email address belong to an order, we have emailed its link to that address.")
        return render(request, TEMPLATE, {"form": form, "notice": notice}, status=200)
    if lookup.answer is LookupAnswer.MISSED:
        form.add_error(None, _("We could not find an order with this number and email address."))
        return render(request, TEMPLATE, {"form": form}, status=200)
    order = lookup.order
    # Oscar's guest order page checks the signed link and the email address kept in the session.
    request.session["anon_order_email"] = order.email
    return redirect(reverse("customer:anon-order", args=(order.number, order.verification_hash())))
