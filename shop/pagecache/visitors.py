"""What a shell page leaves out for each visitor, shaped for /shop/visitor/ (views.visitor)."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from oscar.templatetags.currency_filters import currency

CustomerHistoryManager = get_class("customer.history", "CustomerHistoryManager")
Product = get_model("catalogue", "Product")


def viewed_product(product_id: str | None):
    """The public product whose page asks, or None."""
    if not (product_id or "").isdigit():
        return None
    return Product.objects.public().filter(pk=int(product_id)).first()


def visitor_state(request, *, current_product=None, recently_viewed: bool = False) -> dict:
    """The visitor's CSRF token, basket, sign-in, pending messages (consumed) and, if asked, the recently viewed
    products (without `current_product`) as HTML ready to insert."""
    basket = request.basket
    total = basket.total_incl_tax if basket.is_tax_known else basket.total_excl_tax
    user = request.user
    state = {
        "csrfToken": get_token(request),
        "signedIn": user.is_authenticated,
        "name": (user.get_full_name() or user.email) if user.is_authenticated else "",
        "accountUrl": reverse("customer:summary") if user.is_authenticated else "",
        "basket": {
            "numLines": basket.num_lines,
            "numItems": basket.num_items,
            "total": currency(total, basket.currency or settings.OSCAR_DEFAULT_CURRENCY),  # €0.00 when empty
            "html": render_to_string("oscar/basket/partials/basket_quick.html", request=request),
        },
        "messages": render_to_string(
            "oscar/partials/alert_messages.html", {"messages": get_messages(request)}, request=request
        ),
    }
    if recently_viewed:
        products = [p for p in CustomerHistoryManager.get(request) if p != current_product]
        state["recentlyViewed"] = render_to_string(
            "shop/visitor/recently_viewed.html", {"products": products}, request=request
        )
    return state
