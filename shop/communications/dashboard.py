"""Staff pages about an order's emails, inside Oscar's dashboard: send one again."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from oscar.core.loading import get_model

from shop.fulfilment.models import Shipment

from .emails import EmailNotResendable, order_confirmation_resend
from .shipment_emails import shipment_email_resend

Order = get_model("order", "Order")


class OrderEmailResendView(PermissionRequiredMixin, View):
    """Send the confirmation, or a parcel's latest email, again (customer service, fulfilment)."""

    permission_required = "order.add_communicationevent"
    raise_exception = True

    def post(self, request, number):
        order = get_object_or_404(Order, number=number)
        back = reverse("dashboard:order-detail", kwargs={"number": order.number}) + "#timeline"
        choice = request.POST.get("email", "")
        try:
            if choice == "confirmation":
                order_confirmation_resend(order_id=order.pk, user=request.user)
            elif choice.startswith("parcel:") and choice.removeprefix("parcel:").isdigit():
                shipment = get_object_or_404(Shipment, order=order, pk=int(choice.removeprefix("parcel:")))
                shipment_email_resend(shipment_id=shipment.pk, user=request.user)
            else:
                messages.error(request, _("Choose which email to send again."))
                return redirect(back)
        except EmailNotResendable as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The email is on its way to %(email)s.") % {"email": order.email})
        return redirect(back)
