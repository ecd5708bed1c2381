"""Reads of the editors' pages for the rest of the shop."""

from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from wagtail.models import Page, Site
from wagtail.search.query import Or, PlainText

from shop.branding.name import shop_name_default
from shop.catalogue.structured_data import Crumb

if TYPE_CHECKING:  # the models import the blocks, which read pages through here
    from .models import ProductContent


def content_pages_matching(text: str, *, corrected: str | None = None, limit: int = 5) -> list[Page]:
    """Live, public pages (information, categories) whose text matches: shown beside product search results.
    With `corrected` (the product search's "did you mean"), pages matching either phrase: Wagtail's database
    search has no word-by-word fuzzy matching, so the product search's corrections forgive slips here too."""
    text = " ".join(text.split())[:100]
    if not text:
        return []
    query = text
    corrected = " ".join((corrected or "").split())[:100]
    if corrected and corrected != text:
        query = Or([PlainText(text), PlainText(corrected)])
    pages = Page.objects.live().public().filter(depth__gt=2)  # not the site root or the home page itself
    return list(pages.search(query, fields=None)[:limit])


def category_pages_for_links(chosen_ids: list[int], *, below: Page | None = None) -> list[Page]:
    """Live category pages with their hero images, in the editor's order; without a choice, the live category
    pages just below `below` (the page the block sits on). Two queries however many links."""
    # By its label, from Django's registry: the models import the blocks, which read pages through here.
    pages = apps.get_model("cms", "CategoryPage").objects.live().select_related("hero_image")
    if chosen_ids:
        found = {page.pk: page for page in pages.filter(pk__in=chosen_ids)}
        return [found[pk] for pk in chosen_ids if pk in found]
    if below is None or below.pk is None:
        return []
    return list(pages.child_of(below).order_by("path"))


def with_product_content(products):
    """Products joined with their content (a variant with its parent's): no query of its own on a product page."""
    return products.select_related("cms_content", "parent__cms_content")


def product_content_live(product) -> "ProductContent | None":
    """The published editorial content of a product page; a variant shows its parent's. Its blocks fetch what
    they reference (images with renditions, documents, embeds) in one query per kind when first read."""
    owner = product.parent if product.is_child else product
    content = getattr(owner, "cms_content", None)  # None when the product has none (the join found no row)
    return content if content is not None and content.live else None


def shop_name_of_site(request=None) -> str:
    """The shop's name in the editors' settings (shop.branding reads it through here): the request's site's,
    cached on the request by Wagtail with the footer's settings; without a request, the default site's."""
    ShopSettings = apps.get_model("cms", "ShopSettings")  # by label, as above: the models import this module
    if request is not None and Site.find_for_request(request) is not None:  # cached on the request too
        return ShopSettings.for_request(request).shop_name
    name = ShopSettings.objects.filter(site__is_default_site=True).values_list("shop_name", flat=True).first()
    return shop_name_default() if name is None else name  # no site or settings yet: the field's default


def home_crumb() -> Crumb:
    return Crumb(name=gettext("Home"), path=settings.OSCAR_HOMEPAGE)


def category_trail(category, *, request=None) -> list[Crumb]:
    """Breadcrumbs from the home page down to `category` (an Oscar category; None: the home page alone), each
    category at its canonical address: its live page's, else Oscar's own listing. One query however deep."""
    trail = [home_crumb()]
    if category is None:
        return trail
    steps = range(category.steplen, len(category.path) + 1, category.steplen)  # treebeard: a prefix per ancestor
    ancestors = (
        type(category)
        .objects.filter(path__in=[category.path[:end] for end in steps])
        .order_by("depth")
        .select_related("cms_page")
        .defer("cms_page__body")
    )
    full_slug = ""
    for ancestor in ancestors:
        full_slug = f"{full_slug}/{ancestor.slug}" if full_slug else ancestor.slug  # Oscar's: root first, by "/"
        page = getattr(ancestor, "cms_page", None)  # None when the category has no page (the join found none)
        path = page.get_url(request) if page is not None and page.live else None
        if path is None:
            path = reverse("catalogue:category", kwargs={"category_slug": full_slug, "pk": ancestor.pk})
        trail.append(Crumb(name=ancestor.name, path=path))
    return trail
