"""Staff pages about payments, inside Oscar's dashboard: refunds, canceling unpaid orders."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from oscar.core.loading import get_model

from .errors import PaymentError, ProviderRefused, RefundNotAllowed
from .forms import RefundForm
from .services.refunds import refund_create
from .services.unpaid_orders import order_cancel_unpaid

Order = get_model("order", "Order")


@method_decorator(transaction.non_atomic_requests, name="dispatch")  # no lock held while Mollie is called
class RefundCreateView(PermissionRequiredMixin, View):
    """Refund part or all of an order through Mollie; staff need the refund permission."""

    permission_required = "shop_payments.add_refund"
    raise_exception = True  # staff without the permission get 403, not a login loop

    def post(self, request, number):
        order = get_object_or_404(Order, number=number)
        back = reverse("dashboard:order-detail", kwargs={"number": order.number}) + "#payment"
        form = RefundForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(back)
        amount = form.cleaned_data["amount"]
        try:
            refund = refund_create(
                order_id=order.pk, amount=amount, description=form.cleaned_data["reason"], user=request.user
            )
        except RefundNotAllowed as exc:
            messages.error(request, str(exc))
        except ProviderRefused as exc:
            messages.error(request, _("Mollie refused the refund: %(reason)s") % {"reason": exc})
        else:
            if refund.mollie_id:
                messages.success(request, _("Refund of %(amount)s sent to Mollie.") % {"amount": amount})
            else:
                messages.warning(
                    request, _("Mollie could not be reached; the refund is recorded and will be sent automatically.")
                )
        return redirect(back)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class OrderCancelView(PermissionRequiredMixin, View):
    """Cancel an order still waiting for payment: its payments at Mollie first, then the order and its stock."""

    permission_required = "order.change_order"
    raise_exception = True

    def post(self, request, number):
        order = get_object_or_404(Order, number=number)
        try:
            canceled = order_cancel_unpaid(order_id=order.pk, reason=f"Canceled by {request.user.email}")
        except PaymentError:
            canceled = False
        if canceled:
            messages.success(request, _("Order %(number)s canceled; its stock is released.") % {"number": number})
        else:
            messages.error(
                request,
                _("Order %(number)s was not canceled: it is not waiting for payment, or a payment may still succeed.")
                % {"number": number},
            )
        return redirect(reverse("dashboard:order-detail", kwargs={"number": order.number}))
