import oscar.apps.dashboard.orders.apps as apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's order dashboard, where each action needs its own permission (views.py)."""

    name = "oscar_forks.dashboard.orders"

    def ready(self):
        super().ready()
        # Oscar looks dashboard classes up under the dashboard app, which is not forked: name ours here.
        # Django: views import models, which load after this module (Oscar's own apps import views in ready()).
        from .views import OrderDetailView, OrderListView, ShippingAddressUpdateView

        self.order_list_view = OrderListView
        self.order_detail_view = OrderDetailView
        self.shipping_address_view = ShippingAddressUpdateView
