"""The product content editor in Wagtail's admin: one entry per product, found by product title or code."""

from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from .models import ProductContent
from .viewsets import product_chooser_viewset


class ProductContentCreateView(CreateView):
    def get_initial_form_instance(self):
        # "Add product content" on a product page (?product=<id>) opens the editor with that product chosen.
        instance = super().get_initial_form_instance() or self.model()
        product_id = self.request.GET.get("product", "")
        if product_id.isdigit():
            instance.product_id = int(product_id)
        return instance


class ProductContentViewSet(SnippetViewSet):
    model = ProductContent
    add_view_class = ProductContentCreateView
    icon = "tag"
    menu_label = "Product content"
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "__str__",
        Column("upc", label="Product code", accessor="product.upc"),
        UpdatedAtColumn(),
        LiveStatusTagColumn(),
    ]
    # The database, not Wagtail's search index: the product's title and code are what merchandisers type.
    search_fields = ["product__title", "product__upc"]
    search_backend_name = None
    panels = [
        FieldPanel(
            "product",
            widget=product_chooser_viewset.widget_class,
            help_text="Price, stock and the short description stay in the shop dashboard.",
        ),
        FieldPanel("body"),
    ]

    def get_queryset(self, request):
        return ProductContent.objects.select_related("product")  # the listing prints each product's title
