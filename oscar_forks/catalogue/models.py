from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractCategory, AbstractProductClass

from shop.catalogue.signals import category_moved

VAT_CATEGORY_CHOICES = [
    ("standard", _("Standard rate")),
    ("reduced", _("Reduced rate")),
    ("zero", _("Zero rate")),
]


class ProductClass(AbstractProductClass):
    """Oscar's product class, plus the VAT category its products are taxed at."""

    vat_category = models.CharField(
        _("VAT category"),
        max_length=16,
        choices=VAT_CATEGORY_CHOICES,
        default="standard",
        help_text=_("Rates per category are set in SHOP_VAT_RATES."),
    )

    @property
    def vat_rate(self):
        return settings.SHOP_VAT_RATES[self.vat_category]


class Category(AbstractCategory):
    """Oscar's category, announcing its moves (`category_moved`): treebeard's move() rewrites the subtree's
    paths with queryset updates and sends no signal, so nothing else would notice a category changing parent."""

    def move(self, target, pos=None):
        super().move(target, pos)
        category_moved.send(sender=type(self), instance=self)


from oscar.apps.catalogue.models import *  # noqa: E402,F403  (Oscar's fork pattern: ours first, then the rest)
