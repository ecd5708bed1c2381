"""Staff pages about shipping, inside Oscar's dashboard: put lines in a parcel with its tracking number."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from oscar.core.loading import get_model

from shop.payments.selectors import order_open_chargebacks

from .errors import ShipmentRefused
from .forms import ShipmentForm
from .selectors import order_lines_left_to_ship
from .services import order_unshipped_cancel, shipment_create

Order = get_model("order", "Order")


class ShipmentCreateView(PermissionRequiredMixin, View):
    """Ship some or all of an order's remaining lines in one parcel (fulfilment staff)."""

    permission_required = "shop_fulfilment.add_shipment"
    raise_exception = True

    def post(self, request, number):
        order = get_object_or_404(Order, number=number)
        back = reverse("dashboard:order-detail", kwargs={"number": order.number}) + "#order-parcels"
        form = ShipmentForm(
            request.POST, lines_left=order_lines_left_to_ship(order), open_chargebacks=order_open_chargebacks(order)
        )
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
            return redirect(back)
        try:
            shipment = shipment_create(
                order_id=order.pk,
                carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"],
                quantities=form.quantities(),
                user=request.user,
                chargeback_override=form.cleaned_data.get("chargeback_override", False),
            )
        except ShipmentRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Parcel %(number)s shipped; the customer is emailed.") % {"number": shipment.tracking_number}
            )
        return redirect(back)


class UnshippedCancelView(PermissionRequiredMixin, View):
    """Take the items not yet shipped off a partly shipped order (refund them separately, on the Payment tab)."""

    permission_required = "order.change_order"
    raise_exception = True

    def post(self, request, number):
        order = get_object_or_404(Order, number=number)
        back = reverse("dashboard:order-detail", kwargs={"number": order.number}) + "#order-parcels"
        reason = request.POST.get("reason", "").strip()
        if not reason:
            messages.error(request, _("Say why these items will not ship; the reason is kept on the order."))
            return redirect(back)
        try:
            taken = order_unshipped_cancel(order_id=order.pk, reason=reason[:200], user=request.user)
        except ShipmentRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(count)s item(s) taken off the order; refund them on the Payment tab if they were paid.")
                % {"count": taken},
            )
        return redirect(back)
