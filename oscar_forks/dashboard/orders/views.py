"""Oscar's order pages for staff, with a permission per action.

Seeing an order needs `order.view_order` (Oscar's map). Changing it needs more: notes need
`order.add_ordernote`, status changes `order.change_order`. Oscar's own payment and shipping
event forms are gone: money moves through Mollie (refunds), goods through parcels (shipments).
"""

from django.core.exceptions import PermissionDenied
from oscar.apps.dashboard.orders import views

ACTION_PERMISSIONS = {
    "save_note": "order.add_ordernote",
    "delete_note": "order.add_ordernote",
    "change_order_status": "order.change_order",
    "change_order_statuses": "order.change_order",
}


def _require(user, action: str) -> None:
    permission = ACTION_PERMISSIONS.get(action)
    if permission is None or not user.has_perm(permission):
        raise PermissionDenied(f"{action} needs {permission or 'a permission no role has'}")


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
