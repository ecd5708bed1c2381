"""Oscar's category tree leads, the category pages follow (cms/category_pages.py); any change to the editors'
pages or site settings purges the cached storefront pages (shop/pagecache).

The category handlers are thin and never fail the category change: the sync runs in the same transaction (a
category rolled back takes its page with it) inside a savepoint, and an error is logged and left for
`manage.py sync_category_pages`, which repairs any drift."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from oscar.core.loading import get_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from shop.catalogue.signals import category_moved
from shop.pagecache.services import page_cache_purge

from .category_pages import category_page_retire, category_page_sync
from .models import FooterLink, ProductContent, ShopSettings

logger = logging.getLogger(__name__)

Category = get_model("catalogue", "Category")


def _safely(action, category) -> None:
    try:
        with transaction.atomic():
            action(category=category)
    except Exception:  # the dashboard's save must not fail for the page: the repair command fixes drift
        logger.exception(
            "Category page %s failed for category %s (%s); run manage.py sync_category_pages",
            action.__name__,
            category.pk,
            category.name,
        )


def category_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _safely(category_page_sync, instance)


def category_moved_handler(sender, instance, **kwargs):
    _safely(category_page_sync, instance)


def category_deleting(sender, instance, **kwargs):
    # pre_delete: the page is still linked. Deleting a category deletes its subtree, one signal per category.
    _safely(category_page_retire, instance)


def content_changed(sender, **kwargs):
    """A page published, unpublished, moved or deleted, or the site settings (footer) saved: every cached
    page may show it (menus, footer, the category page itself)."""
    page_cache_purge()


def product_content_changed(sender, instance, **kwargs):
    """Product content published, unpublished (or expired): its product's page shows it, and so do its
    variants' pages; no listing does."""
    product = instance.product
    page_cache_purge(product_ids=[product.pk, *product.children.values_list("pk", flat=True)], storefront=False)


def connect() -> None:
    post_save.connect(category_saved, sender=Category, dispatch_uid="cms.category_saved")
    category_moved.connect(category_moved_handler, sender=Category, dispatch_uid="cms.category_moved")
    pre_delete.connect(category_deleting, sender=Category, dispatch_uid="cms.category_deleting")
    page_published.connect(content_changed, dispatch_uid="cms.page_published.pagecache")
    page_unpublished.connect(content_changed, dispatch_uid="cms.page_unpublished.pagecache")
    post_page_move.connect(content_changed, dispatch_uid="cms.page_moved.pagecache")
    post_delete.connect(content_changed, sender=Page, dispatch_uid="cms.page_deleted.pagecache")
    published.connect(product_content_changed, sender=ProductContent, dispatch_uid="cms.content_published.pagecache")
    unpublished.connect(product_content_changed, sender=ProductContent, dispatch_uid="cms.content_unpub.pagecache")
    for model in (ShopSettings, FooterLink):
        post_save.connect(content_changed, sender=model, dispatch_uid=f"cms.{model.__name__}_saved.pagecache")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"cms.{model.__name__}_deleted.pagecache")
