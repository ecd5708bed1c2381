"""Oscar's category tree leads, the category pages follow (cms/category_pages.py).

The handlers are thin and never fail the category change: the sync runs in the same transaction (a category
rolled back takes its page with it) inside a savepoint, and an error is logged and left for
`manage.py sync_category_pages`, which repairs any drift."""

import logging

from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from oscar.core.loading import get_model

from oscar_forks.catalogue.signals import category_moved

from .category_pages import category_page_retire, category_page_sync

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


def connect() -> None:
    post_save.connect(category_saved, sender=Category, dispatch_uid="cms.category_saved")
    category_moved.connect(category_moved_handler, sender=Category, dispatch_uid="cms.category_moved")
    pre_delete.connect(category_deleting, sender=Category, dispatch_uid="cms.category_deleting")
