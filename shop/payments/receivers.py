"""Payments' answers to what the apps above it announce through shop.orders.signals (connected in
PaymentsConfig.ready)."""

from django.dispatch import receiver

from shop.orders.signals import parcel_shipped

from .services.capture import payment_capture_enqueue


@receiver(parcel_shipped, dispatch_uid="payments-capture-on-parcel-shipped")
def capture_on_parcel_shipped(sender, *, order, **kwargs) -> None:
    """A pay-later payment is charged once its order ships; queued in the shipping transaction."""
    payment_capture_enqueue(order=order)
