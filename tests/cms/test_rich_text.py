"""No stored XSS through a description staff or partners can edit: it is cleaned when saved."""

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from tests.support.checkout import product_with_stock

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Range = get_model("offer", "Range")

ATTACK = (
    '<p>Soft <strong>wool</strong> <a href="https://example.com/care" onclick="steal()">care</a></p>'
    "<script>alert(1)</script><img src=x onerror=alert(2)>"
    '<a href="javascript:alert(3)">win</a><iframe src="https://evil.example"></iframe>'
)


def assert_harmless(html: str) -> None:
    lowered = html.lower()
    for marker in ("<script", "onerror", "onclick", "javascript:", "<iframe", "alert("):
        assert marker not in lowered, marker


def test_a_product_description_keeps_its_formatting_and_loses_its_scripts(client):
    product = product_with_stock(title="Scarf")
    product.description = ATTACK
    product.save()

    stored = Product.objects.get(pk=product.pk).description
    assert_harmless(stored)
    assert "<strong>wool</strong>" in stored and 'href="https://example.com/care"' in stored
    page = client.get(product.get_absolute_url()).content.decode()
    assert "<strong>wool</strong>" in page
    assert_harmless(page[page.index("<strong>wool</strong>") - 200 : page.index("<strong>wool</strong>") + 400])


def test_category_and_range_descriptions_are_cleaned_too():
    category = Category.add_root(name="Scarves", description=ATTACK)
    offer_range = Range.objects.create(name="Winter", description=ATTACK)

    assert_harmless(Category.objects.get(pk=category.pk).description)
    assert_harmless(Range.objects.get(pk=offer_range.pk).description)


def test_the_clean_command_mends_what_was_stored_before():
    product = product_with_stock(title="Old scarf")
    Product.objects.filter(pk=product.pk).update(description=ATTACK)  # written before cleaning existed

    call_command("rich_text_clean", verbosity=0)

    stored = Product.objects.get(pk=product.pk).description
    assert_harmless(stored)
    assert "<strong>wool</strong>" in stored
