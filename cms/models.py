"""Editorial pages. Commerce data (prices, stock) is read live from Oscar."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from oscar.core.loading import get_class
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, LockableMixin, Orderable, Page, PreviewableMixin, RevisionMixin
from wagtail.search import index

from shop.branding.name import shop_name_default
from shop.catalogue.structured_data import Crumb, breadcrumb_list_json_ld, json_ld_for_script
from shop.http.links import absolute_url

from .blocks import BaseStreamBlock
from .product_blocks import ProductContentBlock
from .selectors import category_pages_for_links, home_crumb


class HomePage(Page):
    hero_title = models.CharField(max_length=200)
    hero_text = models.TextField(blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_cta_text = models.CharField(_("button text"), max_length=60, blank=True)
    hero_cta_link = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("button link"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where the button leads; empty: all products."),
    )
    body = StreamField(BaseStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_text"),
                FieldPanel("hero_cta_link"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("hero_text"), index.SearchField("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("home page")


class ContentPage(Page):
    """Information and legal pages: about, shipping and returns, terms, privacy, imprint."""

    intro = models.TextField(blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    template = "cms/content_page.html"

    class Meta:
        verbose_name = _("content page")


class CategoryPage(RoutablePageMixin, Page):
    """Editorial dressing for an Oscar category: hero, intro, stories; products come from Oscar.

    Oscar's category tree leads (cms/category_pages.py): one page per category, made, renamed, moved and
    unpublished by the category sync, never by hand. Title, slug and category are read-only here; editors own
    everything else. The page lists the category's products with facets, sorting and paging
    (cms/category_listing.py)."""

    category = models.OneToOneField(
        "catalogue.Category",
        null=True,  # set to NULL when the category is deleted; its page is unpublished first (retired)
        on_delete=models.SET_NULL,
        related_name="cms_page",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(BaseStreamBlock(), blank=True, use_json_field=True)

    content_panels = [
        FieldPanel("title", read_only=True, help_text=_("The category's name: rename it in the shop dashboard.")),
        FieldPanel("category", read_only=True),
        FieldPanel("hero_image"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug", read_only=True, help_text=_("The category's slug: set in the shop dashboard.")),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
            ],
            heading=_("For search engines"),
        ),
        FieldPanel("show_in_menus"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    template = "cms/category_page.html"
    is_creatable = False  # the category sync makes them, one per Oscar category
    parent_page_types = ["cms.HomePage", "cms.CategoryPage"]
    #: Child slugs the page's own routes would shadow.
    reserved_child_slugs = frozenset({"products"})

    class Meta:
        verbose_name = _("category page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        ancestors = list(self.get_ancestors().type(CategoryPage).live())
        context["ancestor_categories"] = ancestors
        crumbs = [Crumb(name=page.title, path=page.get_url(request)) for page in [*ancestors, self]]
        trail = [home_crumb(), *(crumb for crumb in crumbs if crumb.path)]  # a new page's preview has no URL yet
        context["breadcrumbs_json_ld"] = json_ld_for_script(breadcrumb_list_json_ld(trail))
        context["sub_categories"] = category_pages_for_links([], below=self)  # as an empty category links block
        return context

    @path("", name="listing")
    def listing(self, request):
        if self.category_id is None:  # retired: its category was deleted (a live page has one; a preview may not)
            raise Http404
        # Django: Oscar's views import other apps' models, which may load after this module, so not at its top.
        from .category_listing import CategoryPageListingView

        view = CategoryPageListingView.as_view(page=self)
        return view(request, category_slug=self.category.full_slug, pk=self.category_id)

    @path("products/", name="products")
    def products(self, request):
        """The listing's address until the page itself listed the products: links and bookmarks keep working."""
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return HttpResponsePermanentRedirect(f"{self.get_url(request)}{query}")


@register_setting(icon="site")
class ShopSettings(ClusterableModel, BaseSiteSetting):
    # The shop's name everywhere it is printed (shop.branding); SHOP_NAME only names a new shop.
    shop_name = models.CharField(max_length=100, default=shop_name_default)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True, help_text=_("Shown in the footer and the imprint."))
    footer_text = models.CharField(max_length=255, blank=True)

    panels = [
        FieldPanel("shop_name"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("address")],
            heading=_("Contact"),
        ),
        FieldPanel("footer_text"),
        InlinePanel("footer_links", label=_("Footer links")),
    ]

    class Meta:
        verbose_name = _("shop settings")

    def footer_links_shown(self):
        """The footer's links a visitor can follow: a page's only once it is live (a draft answers 404)."""
        return self.footer_links.select_related("page").filter(models.Q(page__isnull=True) | models.Q(page__live=True))


class FooterLink(Orderable):
    settings = ParentalKey(ShopSettings, on_delete=models.CASCADE, related_name="footer_links")
    title = models.CharField(max_length=60)
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(blank=True, help_text=_("Used when no page is chosen."))

    panels = [FieldPanel("title"), FieldPanel("page"), FieldPanel("url")]

    @property
    def href(self):
        return self.page.url if self.page_id else self.url


class ProductContent(DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, models.Model):
    """A merchandiser's story for one Oscar product: long description, gallery, videos, FAQs, downloads.

    Optional (most products have none) and one per product. A snippet, not a page: the product page is Oscar's
    (its URL, price, stock, basket), and this only dresses it. Drafts, revisions, preview, locking and
    scheduled publishing come from Wagtail; once published the row holds the live version and later drafts
    wait in revisions, so shoppers read the row only when `live` is set."""

    product = models.OneToOneField("catalogue.Product", on_delete=models.CASCADE, related_name="cms_content")
    body = StreamField(ProductContentBlock(), use_json_field=True)
    # Revisions go when the content goes (Wagtail keeps them otherwise).
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="product_content")

    class Meta:
        verbose_name = _("product content")
        verbose_name_plural = _("product content")

    def __str__(self):
        return self.product.get_title()

    @property
    def revisions(self):
        return self._revisions

    def get_full_url(self):
        # The preview's request goes to the product's own address (Oscar's view checks the path).
        return absolute_url(self.product.get_absolute_url())

    full_url = property(get_full_url)  # Wagtail's property is bound to its own get_full_url

    def serve_preview(self, request, mode_name):
        """Oscar's product page as shoppers see it, with this (unsaved) version of the content."""
        view = get_class("catalogue.views", "ProductDetailView").as_view(preview_content=self)
        return view(request, pk=self.product_id, product_slug=self.product.slug)
