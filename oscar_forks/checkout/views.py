"""Checkout with Mollie: choose a method, preview, place the order, then pay.

Oscar takes the payment before it places the order; a hosted payment page needs
the reverse. The order is placed (pending payment, stock allocated) and committed,
and only then is the payment created at Mollie and the shopper sent there. The
views that talk to Mollie are not wrapped in a request transaction, so no row
lock is held across a call to Mollie.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.signing import BadSignature, Signer
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from oscar.apps.checkout import exceptions, views
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from oscar_forks.address_form import CountryChangeViewMixin
from oscar_forks.customer.forms import UserAddressForm
from oscar_forks.order_context import thank_you_context
from shop.accounts.staff_policy import staff_access_granted
from shop.http.clients import client_address, client_key
from shop.http.throttle import throttle_hit
from shop.infrastructure.database import retry_on_dropped_connection
from shop.orders import statuses
from shop.orders.limits import QuantityNotAllowed, TooManyUnpaidOrders
from shop.orders.selectors import order_to_resume
from shop.orders.services import OutOfStock, basket_restore_from_order, order_place_pending
from shop.payments.constants import BANK_TRANSFER, UNSUCCESSFUL, PaymentStatus, method_name
from shop.payments.errors import PaymentError, ProviderRefused, ProviderUnavailable
from shop.payments.gateway import mollie_locale
from shop.payments.selectors import order_transfer_deadline, payment_latest, payment_methods_for
from shop.payments.services.checkout import (
    order_settle_without_payment,
    payment_for_checkout,
    payment_return_path,
    payment_start,
)
from shop.payments.services.sync import payment_sync
from shop.payments.services.unpaid_orders import order_abandon

from .forms import GatewayForm

logger = logging.getLogger("shop.checkout")

Order = get_model("order", "Order")

non_atomic = method_decorator(transaction.non_atomic_requests, name="dispatch")


class IndexView(views.IndexView):
    """The checkout's first step: a guest's email address, or off to allauth to sign in or up, then back."""

    form_class = GatewayForm

    def form_valid(self, form):
        if form.is_guest_checkout():
            return super().form_valid(form)
        checkout = reverse("checkout:index")
        return redirect(f"{reverse('account_login')}?{urlencode({'next': checkout})}")


class ShippingAddressView(CountryChangeViewMixin, views.ShippingAddressView):
    """Step 1: the shipping address, in the fields of its country (ShippingAddressForm)."""


class UserAddressUpdateView(CountryChangeViewMixin, views.UserAddressUpdateView):
    """An address book entry edited from the checkout: the same form as the address book's."""

    form_class = UserAddressForm


@non_atomic  # asks Mollie for its methods: no request transaction held open meanwhile
class PaymentMethodView(views.PaymentMethodView):
    """Step 3: Mollie's methods for this order's amount, currency and country."""

    template_name = "oscar/checkout/payment_method.html"
    success_url = "checkout:preview"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        context = self.get_context_data()
        chosen = request.POST.get("method", "")
        if chosen not in {option.id for option in context["methods"]}:
            context["error"] = _("Please choose how you would like to pay.")
            return self.render_to_response(context, status=400)
        self.checkout_session.pay_by(chosen)
        return redirect(self.success_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.build_submission()
        shipping_address = submission["shipping_address"]
        country = shipping_address.country_id if shipping_address else settings.SHOP_COUNTRY
        context["order_total"] = total = submission["order_total"]
        context["chosen_method"] = self.checkout_session.payment_method()
        try:
            context["methods"] = payment_methods_for(
                amount=total.incl_tax, currency=total.currency, country=country, locale=mollie_locale()
            )
        except PaymentError:
            context["methods"] = []
            context["error"] = _(
                "We cannot show the payment methods right now. Please try again in a minute; your basket is kept."
            )
        return context


@non_atomic
class PaymentDetailsView(views.PaymentDetailsView):
    """Step 4: the preview with VAT per rate and the terms; "Place order" places it and goes to Mollie."""

    def dispatch(self, request, *args, **kwargs):
        # An empty basket here usually means the order was placed but its answer never reached the
        # browser (a dropped connection, a crash): the same order, and the same payment, go on.
        if request.basket.is_empty:
            order = order_to_resume(user=request.user, basket_id=_cookie_basket_id(request))
            if order is not None:
                return self._resume(request, order)
        return super().dispatch(request, *args, **kwargs)

    def _resume(self, request, order):
        logger.info("order %s: shopper back at the checkout before paying; resumed", order.number)
        request.session["checkout_order_id"] = order.pk
        if request.method != "POST" or request.POST.get("action") != "place_order":
            return redirect(payment_return_path(order))
        latest = payment_latest(order)
        return pay(request, order, latest.method if latest else self.checkout_session.payment_method())

    def get(self, request, *args, **kwargs):
        if not self.preview:  # payment details are entered at Mollie, never here
            return redirect("checkout:payment-method")
        return super().get(request, *args, **kwargs)

    def check_payment_data_is_captured(self, request):
        if not self.checkout_session.payment_method() and self._total_due(request):
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:payment-method"), message=_("Please choose how you would like to pay.")
            )

    def _total_due(self, request):
        return self.build_submission()["order_total"].incl_tax

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        method = self.checkout_session.payment_method()
        context["payment_method_name"] = method_name(method) if method else ""
        return context

    def handle_place_order_submission(self, request):
        if not request.POST.get("accept_terms"):
            return self.render_preview(request, error=_("Please accept the terms and conditions to place your order."))
        # Each order holds stock, creates a payment and sends email: a few per client address per hour.
        if not throttle_hit(
            f"checkout-place:{client_key(request)}", limit=settings.SHOP_CHECKOUT_RATE, window_seconds=60 * 60
        ):
            logger.warning("place-order throttled for %s", client_address(request))
            return self._refused(request, _("Too many orders from your connection. Please try again in an hour."))
        try:
            # Placing is one transaction, and a second run finds the order the first one committed
            # (by its basket), so a dropped connection gets one more try instead of a 500.
            placed = retry_on_dropped_connection(self._place, what="place order")
        except (OutOfStock, QuantityNotAllowed) as exc:
            messages.error(request, str(exc))
            return redirect("basket:summary")
        except TooManyUnpaidOrders as exc:
            return self._refused(request, str(exc))
        except UnableToPlaceOrder as exc:
            return self.render_preview(request, error=str(exc))
        order = placed.order
        request.session["checkout_order_id"] = order.pk
        if not order.total_incl_tax:  # a voucher paid for everything: nothing to take at Mollie
            order_settle_without_payment(order_id=order.pk)
            return redirect("checkout:thank-you")
        return pay(request, order, self.checkout_session.payment_method())

    def _place(self):
        submission = self.build_submission()
        return order_place_pending(
            basket=submission["basket"],
            user=submission["user"],
            shipping_address=submission["shipping_address"],
            shipping_method=submission["shipping_method"],
            shipping_charge=submission["shipping_charge"],
            order_total=submission["order_total"],
            billing_address=submission["billing_address"],
            surcharges=submission["surcharges"],
            guest_email=submission["order_kwargs"].get("guest_email") or "",
        )

    def _refused(self, request, error: str):
        """The preview again with the reason, answered 429 (too many, try later) as the order lookup does."""
        response = self.render_preview(request, error=error)
        response.status_code = 429
        return response


def _cookie_basket_id(request) -> int | None:
    """The anonymous basket the browser's cookie names (Oscar signs it), open or not."""
    signed = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    try:
        return int(Signer().unsign(signed)) if signed else None
    except (BadSignature, ValueError):
        return None


def pay(request, order, method: str):
    """Create (or reuse) the order's payment for `method` and send the shopper to Mollie."""
    try:
        payment = retry_on_dropped_connection(
            lambda: payment_for_checkout(order_id=order.pk, method=method), what=f"order {order.number} payment"
        )
        checkout_url = payment_start(payment_id=payment.pk)
    except ProviderUnavailable:
        logger.warning("order %s: Mollie unavailable while starting a payment", order.number)
        messages.error(
            request, _("We could not reach our payment provider. Your order is saved: please try again in a moment.")
        )
        return redirect(payment_return_path(order))
    except ProviderRefused as exc:
        logger.error("order %s: Mollie refused the payment: %s", order.number, exc)
        messages.error(request, _("This payment method cannot be used for this order. Please choose another."))
        return redirect(payment_return_path(order))
    # No URL yet: another submit of the same order is creating the payment; the return page waits for it.
    return redirect(checkout_url or payment_return_path(order))


class OrderPaymentMixin:
    """Pages about one order's payment, reached by a signed link (works for guests too)."""

    def get_order(self, number: str, hash: str):
        order = Order._default_manager.filter(number=number).first()
        if order is None or not order.check_verification_hash(hash):
            raise Http404
        return order


@non_atomic
class PaymentReturnView(OrderPaymentMixin, View):
    """Where Mollie sends the shopper back: the page shows the payment's real state."""

    template_name = "oscar/checkout/payment_return.html"

    def get(self, request, number, hash):
        order = self.get_order(number, hash)
        payment = payment_latest(order)
        if payment is not None and payment.mollie_id and payment.status in (PaymentStatus.OPEN, PaymentStatus.PENDING):
            try:  # the webhook may not have arrived yet: ask Mollie now
                payment = payment_sync(payment_id=payment.pk)
            except PaymentError:
                logger.warning("order %s: could not ask Mollie about %s on return", order.number, payment.mollie_id)
        # Read after the payment: the webhook's task may have moved the order in between.
        order.refresh_from_db()
        if order.status in statuses.SETTLED:
            request.session["checkout_order_id"] = order.pk
            return redirect("checkout:thank-you")
        can_pay = order.status == statuses.PENDING_PAYMENT
        context = {"order": order, "payment": payment, "state": _return_state(order, payment), "can_pay": can_pay}
        context["pay_by"] = order_transfer_deadline(order)
        if can_pay:
            context["methods"] = _methods_or_none(order)
        return render(request, self.template_name, context)


def _return_state(order, payment) -> str:
    if order.status == statuses.CANCELED:
        return "canceled"
    if payment is None or payment.status in UNSUCCESSFUL:
        return "failed"
    if not payment.mollie_id and not payment.is_being_created:  # Mollie could not be reached: nothing to wait for
        return "failed"
    if payment.method == BANK_TRANSFER and payment.status == PaymentStatus.OPEN:
        return "awaiting_transfer"
    return "waiting"


def _methods_or_none(order):
    country = order.shipping_address.country_id if order.shipping_address_id else settings.SHOP_COUNTRY
    try:
        return payment_methods_for(
            amount=order.total_incl_tax, currency=order.currency, country=country, locale=mollie_locale()
        )
    except PaymentError:
        return None


@non_atomic
class PaymentRetryView(OrderPaymentMixin, View):
    """Pay the same pending order again, by the method the shopper chooses now."""

    def post(self, request, number, hash):
        order = self.get_order(number, hash)
        if order.status != statuses.PENDING_PAYMENT:
            return redirect(payment_return_path(order))
        # Each attempt creates a payment at Mollie, and a bank transfer emails its details: as few as placing orders.
        if not throttle_hit(
            f"payment-retry:{client_key(request)}", limit=settings.SHOP_CHECKOUT_RATE, window_seconds=60 * 60
        ):
            messages.error(request, _("Too many payment attempts from your connection. Please try again in an hour."))
            return redirect(payment_return_path(order))
        method = request.POST.get("method", "")
        if method not in {option.id for option in (_methods_or_none(order) or [])}:
            messages.error(request, _("Please choose how you would like to pay."))
            return redirect(payment_return_path(order))
        return pay(request, order, method)


@non_atomic
class PaymentAbandonView(OrderPaymentMixin, View):
    """Give up paying: cancel the pending order, release its stock, put its lines back in the basket."""

    def post(self, request, number, hash):
        order = self.get_order(number, hash)
        if order_abandon(order_id=order.pk):
            with transaction.atomic():
                added = basket_restore_from_order(order=order, basket=request.basket)
            messages.info(
                request, _("Your order was canceled and %(count)s item(s) are back in your basket.") % {"count": added}
            )
        return redirect("basket:summary")


class ThankYouView(views.ThankYouView):
    """Oscar lets a superuser open any order's thank-you page (`?order_number=`, `?order_id=`): a door to
    customer data outside the staff areas, so it opens only to staff the staff policy lets in."""

    def get_object(self, queryset=None):
        if staff_access_granted(self.request.user):
            return super().get_object(queryset)
        order_id = self.request.session.get("checkout_order_id")  # Oscar's own fallback: the order just placed
        return Order._default_manager.filter(pk=order_id).first() if order_id else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object is not None:
            context.update(thank_you_context(self.object))
        return context
