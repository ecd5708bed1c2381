from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.utils.registry import resolve_model_string


class ProductChooserViewSet(ChooserViewSet):
    """Lets editors pick Oscar products in any page, searching by title or UPC."""

    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = "Choose a product"
    choose_another_text = "Choose another product"
    edit_item_text = "Edit this product"
    search_fields = ["title", "upc"]
    per_page = 20

    def get_object_list(self):
        return resolve_model_string(self.model).objects.browsable().order_by("title")


product_chooser_viewset = ProductChooserViewSet("product_chooser", url_prefix="products/chooser")
