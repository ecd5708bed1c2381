"""Shipments of an order and what their carriers report about them.

Oscar records which lines shipped (a shipping event with line quantities); a
Shipment adds the carrier and tracking number to that event, and collects the
carrier's tracking events, each stored once however often poll and pushes bring it.
"""

from django.conf import settings
from django.db import models

from .carriers.base import Milestone

# How a parcel's milestone reads to shoppers and staff.
MILESTONES = [
    (Milestone.ANNOUNCED.value, "Shipped"),
    (Milestone.IN_TRANSIT.value, "On its way"),
    (Milestone.OUT_FOR_DELIVERY.value, "Out for delivery"),
    (Milestone.DELIVERED.value, "Delivered"),
    (Milestone.EXCEPTION.value, "Delivery problem"),
]


class Shipment(models.Model):
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="shipments")
    # Oscar's record of the lines and quantities in this parcel.
    shipping_event = models.OneToOneField("order.ShippingEvent", on_delete=models.PROTECT, related_name="shipment")
    carrier = models.CharField(max_length=32)
    tracking_number = models.CharField(max_length=64)
    milestone = models.CharField(max_length=20, choices=MILESTONES, default=Milestone.ANNOUNCED)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    milestone_at = models.DateTimeField(null=True, blank=True)  # when the carrier reported the milestone
    delivered_at = models.DateTimeField(null=True, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)
    poll_error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["order", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "tracking_number"], name="shipment_tracking_number_unique")
        ]
        indexes = [
            models.Index(fields=["polled_at"], name="shipment_open_idx", condition=~models.Q(milestone="delivered"))
        ]

    def __str__(self):
        return f"{self.carrier} {self.tracking_number}"

    @property
    def is_open(self) -> bool:
        return self.milestone != Milestone.DELIVERED


class TrackingEvent(models.Model):
    class Source(models.TextChoices):
        POLL = "poll", "Poll"
        PUSH = "push", "Push"

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="tracking_events")
    fingerprint = models.CharField(max_length=64)
    milestone = models.CharField(max_length=20, choices=MILESTONES)
    code = models.CharField(max_length=32, blank=True)
    description = models.CharField(max_length=255, blank=True)
    location = models.CharField(max_length=255, blank=True)
    occurred_at = models.DateTimeField()
    source = models.CharField(max_length=8, choices=Source.choices)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shipment", "occurred_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["shipment", "fingerprint"], name="tracking_event_once")]

    def __str__(self):
        return f"{self.shipment}: {self.milestone} at {self.occurred_at:%Y-%m-%d %H:%M}"


class ShipmentNotice(models.Model):
    """Marks that the shopper was emailed about a step of a shipment: each step's email goes out once."""

    class Step(models.TextChoices):
        SHIPPED = "shipped", "Shipped"
        OUT_FOR_DELIVERY = Milestone.OUT_FOR_DELIVERY.value, "Out for delivery"
        DELIVERED = Milestone.DELIVERED.value, "Delivered"
        EXCEPTION = Milestone.EXCEPTION.value, "Delivery problem"

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="notices")
    step = models.CharField(max_length=20, choices=Step.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shipment", "step"], name="shipment_notice_once")]

    def __str__(self):
        return f"{self.shipment}: {self.step} email"
