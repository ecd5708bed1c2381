"""Keep the product index current without indexing inside the editor's request.

A product or stock change records an outbox task in the same transaction; the
`search` queue re-reads the product and updates or removes its index entry.
"""

from django.db.models import signals
from haystack.signals import BaseSignalProcessor
from oscar.core.loading import get_model

from shop.outbox.services import outbox_enqueue_by_name

from .constants import REINDEX_PRODUCT

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


class OutboxSignalProcessor(BaseSignalProcessor):
    def setup(self):
        signals.post_save.connect(self.product_changed, sender=Product)
        signals.post_delete.connect(self.product_changed, sender=Product)
        signals.post_save.connect(self.stock_changed, sender=StockRecord)
        signals.post_delete.connect(self.stock_changed, sender=StockRecord)

    def teardown(self):
        signals.post_save.disconnect(self.product_changed, sender=Product)
        signals.post_delete.disconnect(self.product_changed, sender=Product)
        signals.post_save.disconnect(self.stock_changed, sender=StockRecord)
        signals.post_delete.disconnect(self.stock_changed, sender=StockRecord)

    def product_changed(self, sender, instance, raw=False, **kwargs):
        if not raw:
            _queue_reindex(instance)

    def stock_changed(self, sender, instance, raw=False, **kwargs):
        if not raw:
            _queue_reindex(instance.product)


def _queue_reindex(product) -> None:
    # The index holds parents, not their children (Oscar's ProductIndex).
    outbox_enqueue_by_name(actor_name=REINDEX_PRODUCT, args=(product.parent_id or product.pk,))
