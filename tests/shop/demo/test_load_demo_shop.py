from django.core.management import call_command
from oscar.core.loading import get_model

from cms.models import CategoryPage, ContentPage, HomePage, ProductContent

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


def counts():
    return {
        "products": Product.objects.count(),
        "categories": Category.objects.count(),
        "images": ProductImage.objects.count(),
        "stock": StockRecord.objects.count(),
        "pages": ContentPage.objects.count() + CategoryPage.objects.count() + HomePage.objects.count(),
        "product content": ProductContent.objects.filter(live=True).count(),
    }


def test_loader_builds_a_three_level_catalogue_and_is_idempotent(db):
    call_command("load_demo_shop", products=60, no_index=True, verbosity=0)
    first = counts()
    call_command("load_demo_shop", products=60, no_index=True, verbosity=0)

    assert counts() == first
    assert first["products"] == 60 and first["stock"] == 60
    assert first["categories"] >= 40
    assert Category.objects.filter(depth=3).exists()
    assert 120 <= first["images"] <= 240, "two to four images per product"
    product = Product.objects.get(upc="DEMO-000003")
    assert product.attribute_values.count() == 3, "a specification per attribute of the class"
    assert product.product_class.vat_category in {"standard", "reduced"}
    assert first["product content"] == 4, "the first featured products have a story, a gallery, FAQs, a download"


def test_loader_adds_only_what_is_missing(db):
    call_command("load_demo_shop", products=10, no_index=True, verbosity=0)
    titles = dict(Product.objects.values_list("upc", "title"))
    call_command("load_demo_shop", products=25, no_index=True, verbosity=0)

    assert Product.objects.count() == 25
    assert {upc: title for upc, title in Product.objects.values_list("upc", "title") if upc in titles} == titles


def test_a_nonsense_product_count_is_refused_with_a_reason(db):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--products must be at least 1"):
        call_command("load_demo_shop", products=0, verbosity=0)
    assert not Product.objects.exists()
