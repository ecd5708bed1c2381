"""One Wagtail category page per Oscar category, following Oscar's tree one way.

Oscar's category tree leads. Each category has one `CategoryPage`, under its parent category's page (under the
home page for a root category), titled with the category's name and slugged with its slug (with a suffix only
where a sibling page, a route of the parent page or one of the site's own URLs already answers to the slug).
A renamed category renames its page and a moved category moves it; Wagtail keeps a redirect from the old
address (wagtail.contrib.redirects, WAGTAILREDIRECTS_AUTO_CREATE). A hidden category (not public, or below one
that is not) unpublishes its page. A deleted category retires its page: unpublished with every page below it,
the editors' content kept for recovery. Nothing here publishes a page an editor has unpublished.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.models import Page, Site

from .models import CategoryPage, HomePage

logger = logging.getLogger(__name__)

Category = get_model("catalogue", "Category")


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"  # renamed, moved or unpublished
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"  # no home page yet: nothing to hang the page from


@dataclass
class SyncReport:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys([*Outcome, "retired", "failed"], 0))

    def add(self, outcome: str) -> None:
        self.counts[outcome] += 1

    def __str__(self):
        return ", ".join(f"{count} {name}" for name, count in self.counts.items())


def category_page_sync(*, category) -> Outcome:
    """Create, move, rename or unpublish `category`'s page so that it follows the category."""
    category = Category.objects.get(pk=category.pk)  # treebeard moves paths behind the instance's back
    parent = _parent_page_for(category)
    if parent is None:
        return Outcome.SKIPPED
    page = CategoryPage.objects.filter(category=category).first()
    if page is None:
        _page_create(category=category, parent=parent)
        return Outcome.CREATED

    moved = not page.path.startswith(parent.path) or page.depth != parent.depth + 1
    slug = page.slug if page.slug == category.slug and not moved else _slug_claim(parent, category.slug, page)
    slug_changed = slug != page.slug
    if moved:
        if slug_changed:  # first: Wagtail's move validates the slug among the new siblings
            Page.objects.filter(pk=page.pk).update(slug=slug)
        page.move(parent, pos="last-child")  # Wagtail rewrites the url paths below and redirects the old ones
        page = CategoryPage.objects.get(pk=page.pk)
    renamed = slug_changed or page.title != category.name
    if renamed:
        _page_rename(page, title=category.name, slug=slug)
    hidden = page.live and not _is_visible(category)
    if hidden:
        _unpublish_with_descendants(page)
    return Outcome.UPDATED if moved or renamed or hidden else Outcome.UNCHANGED


def category_page_retire(*, category) -> bool:
    """Before `category` is deleted: unpublish its page and every page below it. The page stays, its category
    set to NULL by the delete, with the editors' content for recovery; it is no longer served, and a new
    category with the same slug reclaims the address (_slug_claim). Returns whether there was a page."""
    page = CategoryPage.objects.filter(category_id=category.pk).first()
    if page is None:
        return False
    _unpublish_with_descendants(page)
    return True


def category_pages_sync_all(*, progress: Callable[[int], None] = lambda n: None) -> SyncReport:
    """Repair drift: every category's page in step (parents first), and live pages whose category is gone
    retired. Pages found in step cost no query each; each repair runs in its own savepoint, so a failure is
    logged and counted, not fatal."""
    report = SyncReport()
    home = _home_page()
    pages = _pages_by_category()
    categories = Category.objects.order_by("path").only(*_SYNCED_FIELDS)
    page_path_of = {}  # category path -> its page's tree path
    for category in categories.iterator():
        page = pages.get(category.pk)
        if category.depth == 1:
            parent_path = home.path if home is not None else None
        else:
            parent_path = page_path_of.get(category.path[: -category.steplen])
        if page is not None and parent_path is not None and _in_step(page, category, parent_path=parent_path):
            report.add(Outcome.UNCHANGED)
        else:
            try:
                with transaction.atomic():
                    report.add(category_page_sync(category=category))
            except Exception:
                logger.exception("Category page sync failed for category %s (%s)", category.pk, category.name)
                report.add("failed")
            pages = _pages_by_category()  # a move rewrote paths below it
            page = pages.get(category.pk)
        if page is not None:
            page_path_of[category.path] = page.path
        progress(1)
    for page in CategoryPage.objects.filter(category__isnull=True, live=True):
        _unpublish_with_descendants(page)
        report.add("retired")
    return report


def category_pages_pending() -> int:
    """How many categories the repair walks (for a progress bar)."""
    return Category.objects.count()


_SYNCED_FIELDS = ("pk", "path", "depth", "name", "slug", "is_public", "ancestors_are_public")


def _pages_by_category() -> dict[int, CategoryPage]:
    fields = ("pk", "path", "depth", "title", "slug", "live", "category_id")
    return {page.category_id: page for page in CategoryPage.objects.filter(category__isnull=False).only(*fields)}


def _in_step(page: CategoryPage, category, *, parent_path: str) -> bool:
    return (
        page.path[: -page.steplen] == parent_path
        and (page.title, page.slug) == (category.name, category.slug)
        and not (page.live and not _is_visible(category))
    )


def _parent_page_for(category) -> Page | None:
    if category.depth == 1:
        return _home_page()
    parent = CategoryPage.objects.filter(category__path=category.path[: -category.steplen]).first()
    if parent is None:  # parents first: the repair walks the tree in order, a signal may not
        category_page_sync(category=category.get_parent(update=True))
        parent = CategoryPage.objects.filter(category__path=category.path[: -category.steplen]).first()
    return parent


def _home_page() -> Page | None:
    """The default site's home page; None before the bootstrap has made one (then no pages are made)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None or site.root_page.specific_class is not HomePage:
        return None
    return site.root_page


def _page_create(*, category, parent: Page) -> CategoryPage:
    live = _is_visible(category)
    # Made live without a revision, so dated by hand as Wagtail's publishing would (the sitemap's lastmod).
    published_at = timezone.now() if live else None
    page = CategoryPage(
        title=category.name,
        slug=_slug_claim(parent, category.slug, None),
        category=category,
        live=live,
        first_published_at=published_at,
        last_published_at=published_at,
        show_in_menus=category.depth == 1 and not category.exclude_from_menu,
    )
    return parent.add_child(instance=page)


def _page_rename(page: CategoryPage, *, title: str, slug: str) -> None:
    """Rename the live row, and an editor's unpublished draft too, or publishing the draft would undo it."""
    page.title = page.draft_title = title
    page.slug = slug
    if page.live:
        page.last_published_at = timezone.now()  # the live page changed (the sitemap's lastmod)
    page.save()  # Wagtail updates the url paths below and (on commit) redirects the old address
    if page.has_unpublished_changes and page.latest_revision_id:
        draft = page.latest_revision.as_object()
        draft.title, draft.slug = title, slug
        draft.save_revision(clean=False)


def _unpublish_with_descendants(page: Page) -> None:
    """Unpublish `page` and every live page below it: Wagtail serves the children of an unpublished page."""
    for live_page in Page.objects.descendant_of(page, inclusive=True).live().specific():
        live_page.unpublish()


def _is_visible(category) -> bool:
    return category.is_public and category.ancestors_are_public


def _slug_claim(parent: Page, wanted: str, page: Page | None) -> str:
    """A free slug for `page` under `parent`, as close to `wanted` as can be. A retired sibling (a deleted
    category's unpublished page) holding `wanted` is renamed aside: a category deleted and made again gets its
    address back."""
    slug = _free_slug(parent, wanted, page)
    if slug != wanted:
        retired = CategoryPage.objects.child_of(parent).filter(slug=wanted, category__isnull=True, live=False).first()
        if retired is not None:
            retired.slug = _free_slug(parent, f"{wanted}-retired-{retired.pk}", retired)
            retired.save(clean=False)
            slug = _free_slug(parent, wanted, page)
    return slug


def _free_slug(parent: Page, wanted: str, page: Page | None) -> str:
    """`wanted`, or `wanted-2`, `-3`…: the first slug that no sibling page, no route of the parent page and no
    URL of the site's own (Oscar under /shop/, allauth, Wagtail's admin…) answers to."""
    wanted = wanted or "category"
    siblings = parent.get_children().exclude(pk=page.pk if page else None)
    taken = set(siblings.values_list("slug", flat=True)) | getattr(parent.specific_class, "reserved_child_slugs", set())
    parent_url = parent.get_url()
    slug, n = wanted, 1
    while slug in taken or (parent_url is not None and _served_by_django(f"{parent_url}{slug}/")):
        n += 1
        slug = f"{wanted}-{n}"
    return slug


def _served_by_django(url_path: str) -> bool:
    try:
        return resolve(url_path).url_name != "wagtail_serve"
    except Resolver404:
        return False
