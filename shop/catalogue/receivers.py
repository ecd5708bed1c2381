"""A saved product image queues its thumbnails (outbox, same transaction as the image)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.outbox.services import outbox_enqueue

from .tasks import make_product_thumbnails
from .thumbnails import ProductImage


@receiver(post_save, sender=ProductImage)
def queue_thumbnails(sender, instance, raw=False, **kwargs):
    if not raw:
        outbox_enqueue(actor=make_product_thumbnails, args=(instance.pk,))
