from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic import chooser
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.utils.registry import resolve_model_string


class ProductSearchForm(BaseFilterForm):
    """The chooser's search box. Wagtail offers one only for models in its own search index, which Oscar's
    products are not: here a word of the title or the exact product code finds them."""

    q = forms.CharField(
        label=_("Search term"), widget=forms.TextInput(attrs={"placeholder": _("Title or code")}), required=False
    )

    def filter(self, objects):
        objects = super().filter(objects)
        text = " ".join((self.cleaned_data.get("q") or "").split())
        if text:
            objects = objects.filter(Q(title__icontains=text) | Q(upc__iexact=text))
            self.is_searching, self.search_query = True, text
        return objects


class ProductChooseView(chooser.ChooseView):
    filter_form_class = ProductSearchForm


class ProductChooseResultsView(chooser.ChooseResultsView):
    filter_form_class = ProductSearchForm


class ProductChooserViewSet(ChooserViewSet):
    """Lets editors pick Oscar products in any page, searching by title or product code."""

    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = "Choose a product"
    choose_another_text = "Choose another product"
    edit_item_text = "Edit this product"
    per_page = 20

    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView

    def get_object_list(self):
        return resolve_model_string(self.model).objects.browsable().order_by("title")


product_chooser_viewset = ProductChooserViewSet("product_chooser", url_prefix="products/chooser")
