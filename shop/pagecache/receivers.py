"""Catalogue changes purge the cached pages that show them (services.page_cache_purge, after commit).

Wagtail's changes (pages published, unpublished, moved or deleted; site settings) are connected in
cms/receivers.py, which owns those models."""

from django.db.models.signals import post_delete, post_save
from oscar.core.loading import get_model

from shop.catalogue.signals import category_moved

from .services import page_cache_purge

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductReview = get_model("reviews", "ProductReview")
StockRecord = get_model("partner", "StockRecord")


def product_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        page_cache_purge(product_ids=[instance.pk, instance.parent_id])


def product_part_changed(sender, instance, raw=False, **kwargs):
    """An image, attribute value, category link or review: its product's page and the listings."""
    if not raw:
        page_cache_purge(product_ids=[instance.product_id])


def category_changed(sender, instance=None, raw=False, **kwargs):
    if not raw:
        page_cache_purge()


def stock_record_changed(sender, instance, raw=False, **kwargs):
    """Its product's page (and its parent's, which shows the variants); never the listings here. They read the
    search index, and the index refresh this change queues purges them if what they show changed
    (shop.search.services.product_index_refresh): one decision, made once the index shows the change."""
    if not raw:
        page_cache_purge(product_ids=[instance.product_id, instance.product.parent_id], storefront=False)


def connect() -> None:
    post_save.connect(product_changed, sender=Product, dispatch_uid="pagecache.product_saved")
    post_delete.connect(product_changed, sender=Product, dispatch_uid="pagecache.product_deleted")
    for model in (ProductImage, ProductAttributeValue, ProductCategory, ProductReview):
        uid = f"pagecache.{model._meta.label_lower}"
        post_save.connect(product_part_changed, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(product_part_changed, sender=model, dispatch_uid=f"{uid}.deleted")
    post_save.connect(category_changed, sender=Category, dispatch_uid="pagecache.category_saved")
    post_delete.connect(category_changed, sender=Category, dispatch_uid="pagecache.category_deleted")
    category_moved.connect(category_changed, sender=Category, dispatch_uid="pagecache.category_moved")
    post_save.connect(stock_record_changed, sender=StockRecord, dispatch_uid="pagecache.stock_record_saved")
    post_delete.connect(stock_record_changed, sender=StockRecord, dispatch_uid="pagecache.stock_record_deleted")
