"""Oscar's order status signal, as a hook into payments: shipping captures pay-later payments."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed

from shop.orders import statuses

from .services import order_shipped


@receiver(order_status_changed)
def capture_when_shipped(sender, order, old_status, new_status, **kwargs):
    if new_status == statuses.SHIPPED:
        order_shipped(order=order)
