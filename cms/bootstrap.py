"""The page tree every shop needs: a home page at the site root and the legal pages."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page, Site

from shop.branding.name import shop_name

from .models import ContentPage, FooterLink, HomePage, ShopSettings

LEGAL_PAGES = [
    ("terms", "Terms and conditions", "The terms that apply to every order placed in this shop."),
    ("privacy", "Privacy policy", "Which personal data we keep, why, for how long, and your rights."),
    ("imprint", "Imprint", "Who runs this shop and how to reach us."),
    (
        "shipping-and-returns",
        "Shipping and returns",
        "Delivery times and costs, and how to return an item within 14 days.",
    ),
]
DRAFT_NOTICE = (
    "<p>This page was created by the shop's set-up. Replace this text with your own before you open the shop.</p>"
)


def wagtail_tree_ensure() -> Page:
    """The rows Wagtail's migrations create (locale, page and collection roots), if a flush removed them."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))


def home_page_ensure() -> HomePage:
    """Make a HomePage the root of the default site, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        root = wagtail_tree_ensure()
        for welcome in root.get_children().filter(content_type__model="page", slug="home"):
            welcome.delete()  # Wagtail's placeholder; its Site goes with it
        now = timezone.now()  # live without a revision: dated as Wagtail's publishing would (the sitemap's lastmod)
        home = root.add_child(
            instance=HomePage(
                title="Home",
                slug="home",
                hero_title=f"Welcome to {shop_name()}",
                hero_text="",
                first_published_at=now,
                last_published_at=now,
            )
        )
    bits = urlsplit(settings.SHOP_BASE_URL)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": bits.hostname or "localhost",
            "port": bits.port or (443 if bits.scheme == "https" else 80),
            "root_page": home,
            "site_name": shop_name(),  # Wagtail's label for the site
        },
    )
    return home


def legal_pages_ensure(home: HomePage, *, publish: bool) -> list[ContentPage]:
    """The legal pages, each with a placeholder text until the shop writes its own.

    Created as drafts unless `publish` (the demo shop): a placeholder must never be a live shop's terms. Unless
    `publish`, a page still live with nothing but the placeholder (made live by an earlier set-up) is unpublished."""
    pages = []
    for slug, title, intro in LEGAL_PAGES:
        page = ContentPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = home.add_child(
                instance=ContentPage(
                    title=title,
                    slug=slug,
                    intro=intro,
                    body=[("paragraph", DRAFT_NOTICE)],
                    show_in_menus=False,
                    live=False,
                )
            )
            revision = page.save_revision()  # the draft editors open, write and publish
            if publish:
                revision.publish()
                page.refresh_from_db()
        elif page.live and not publish and _only_the_placeholder(page):
            page.unpublish()
        pages.append(page)
    return pages


def _only_the_placeholder(page: ContentPage) -> bool:
    blocks = [(block.block_type, getattr(block.value, "source", None)) for block in page.body]
    return blocks == [("paragraph", DRAFT_NOTICE)]


def shop_settings_ensure(*, legal_pages: list[ContentPage]) -> ShopSettings:
    site = Site.objects.get(is_default_site=True)
    shop_settings = ShopSettings.for_site(site)
    if not shop_settings.footer_links.exists():  # first run (the name is the field's default): link the legal pages
        for order, page in enumerate(legal_pages):
            FooterLink.objects.create(settings=shop_settings, title=page.title, page=page, sort_order=order)
    return shop_settings


def merchandiser_page_permissions_ensure(*, group: Group, home: HomePage) -> None:
    """Merchandisers add, edit and publish every page below the home page."""
    codenames = ["add_page", "change_page", "publish_page"]
    for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames):
        GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)


def merchandiser_media_permissions_ensure(*, group: Group) -> None:
    """Merchandisers upload, edit and choose images and documents in every collection. Wagtail grants these per
    collection (GroupCollectionPermission): the model permissions of the same names open nothing."""
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")  # Wagtail's migration makes it
    media = {"wagtailimages": "image", "wagtaildocs": "document"}
    for app_label, model in media.items():
        codenames = [f"{action}_{model}" for action in ("add", "change", "choose", "delete")]
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def cms_bootstrap(*, merchandisers: Group, publish_legal_pages: bool) -> HomePage:
    home = home_page_ensure()
    legal = legal_pages_ensure(home, publish=publish_legal_pages)
    shop_settings_ensure(legal_pages=legal)
    merchandiser_page_permissions_ensure(group=merchandisers, home=home)
    merchandiser_media_permissions_ensure(group=merchandisers)
    return home


def legal_pages_unpublished(home: HomePage) -> list[ContentPage]:
    slugs = [slug for slug, _title, _intro in LEGAL_PAGES]
    return list(ContentPage.objects.child_of(home).filter(slug__in=slugs, live=False).order_by("path"))
