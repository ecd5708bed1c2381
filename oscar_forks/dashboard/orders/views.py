"""Oscar's order pages for staff, with a permission per action.

Seeing an order needs `order.view_order` (Oscar's map). Changing it needs more: notes need
`order.add_ordernote` and staff edit or delete only their own, still-editable notes (system notes are
the audit trail); status changes need `order.change_order`; so does the delivery address, and only
until a parcel has shipped. Oscar's own payment and shipping event forms are gone: money moves through
Mollie (refunds), goods through parcels (shipments).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from oscar.apps.dashboard.orders import views
from oscar.core.loading import get_model

from oscar_forks.order_context import staff_order_context

OrderNote = get_model("order", "OrderNote")

ACTION_PERMISSIONS = {
    "save_note": "order.add_ordernote",
    "delete_note": "order.add_ordernote",
    "change_order_status": "order.change_order",
    "change_order_statuses": "order.change_order",
    "change_shipping_address": "order.change_order",
}


def _require(user, action: str) -> None:
    permission = ACTION_PERMISSIONS.get(action)
    if permission is None or not user.has_perm(permission):
        raise PermissionDenied(f"{action} needs {permission or 'a permission no role has'}")


def _own_editable_note(user, note) -> None:
    if note.user_id != user.pk or note.note_type == OrderNote.SYSTEM or not note.is_editable():
        raise PermissionDenied("Only your own notes, while they are still editable")


class OrderListView(views.OrderListView):
    actions = ("download_selected_orders", "change_order_statuses")

    def change_order_statuses(self, request, orders):
        _require(request.user, "change_order_statuses")
        return super().change_order_statuses(request, orders)


class OrderDetailView(views.OrderDetailView):
    order_actions = ("save_note", "delete_note", "change_order_status")
    line_actions = ()

    def handle_order_action(self, request, order, action):
        if action in self.order_actions:
            _require(request.user, action)
        return super().handle_order_action(request, order, action)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(staff_order_context(self.object))
        return context

    def get_order_note_form(self):
        note_id = self.kwargs.get("note_id")
        if note_id and self.request.method == "POST":
            _own_editable_note(self.request.user, get_object_or_404(OrderNote, order=self.object, id=note_id))
        return super().get_order_note_form()

    def delete_note(self, request, order):
        note = order.notes.filter(id=request.POST.get("note_id") or 0).first()
        if note is not None:
            _own_editable_note(request.user, note)
        return super().delete_note(request, order)


class ShippingAddressUpdateView(views.ShippingAddressUpdateView):
    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            _require(request.user, "change_shipping_address")
            order = get_object_or_404(views.Order, number=kwargs["number"])
            if order.shipments.exists():
                messages.error(request, _("A parcel has shipped: the delivery address can no longer change."))
                return redirect("dashboard:order-detail", number=order.number)
        return super().dispatch(request, *args, **kwargs)
