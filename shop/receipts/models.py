from django.db import models

from .storage import private_storage


class DocumentCounter(models.Model):
    """The last number issued in a series, locked while the next is taken.

    A PostgreSQL sequence would leave gaps when a transaction rolls back; this row
    rolls back with the document, so numbers stay gap-free as the law asks.
    """

    series = models.CharField(max_length=32, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.series}: {self.last_number}"


class Receipt(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Receipt"
        CREDIT_NOTE = "credit_note", "Credit note"

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="receipts")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    number = models.CharField(max_length=32, unique=True)
    refund = models.OneToOneField(
        "shop_payments.Refund", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_note"
    )
    pdf = models.FileField(storage=private_storage, upload_to="receipts/%Y/%m/")
    total = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    issued_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)  # first attached to an email

    class Meta:
        ordering = ["issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=models.Q(kind="receipt"), name="one_receipt_per_order")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def filename(self) -> str:
        return f"{self.get_kind_display().lower().replace(' ', '-')}-{self.number}.pdf"
