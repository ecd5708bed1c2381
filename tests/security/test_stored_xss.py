"""A name is text: markup in a range's, category's or product's name is refused, and Oscar's offer
descriptions print a range's name escaped in the dashboard (where they are shown with `|safe`)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from oscar.core.loading import get_model

from tests.support.checkout import product_with_stock
from tests.support.users import with_totp

pytestmark = pytest.mark.django_db

Benefit = get_model("offer", "Benefit")
Category = get_model("catalogue", "Category")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Product = get_model("catalogue", "Product")
Range = get_model("offer", "Range")

PAYLOAD = "<img src=x onerror=alert(document.cookie)>"


@pytest.fixture
def superuser_client(client, django_user_model):
    root = with_totp(django_user_model.objects.create_superuser(email="root@example.com", password="x" * 16))
    client.force_login(root)
    return client


def offer_on(offer_range) -> "ConditionalOffer":
    return ConditionalOffer.objects.create(
        name="Winter sale",
        offer_type=ConditionalOffer.SITE,
        benefit=Benefit.objects.create(range=offer_range, type=Benefit.PERCENTAGE, value=10),
        condition=Condition.objects.create(range=offer_range, type=Condition.COUNT, value=1),
    )


def test_the_range_form_refuses_a_name_with_markup_and_says_why(superuser_client):
    response = superuser_client.post(
        "/shop/dashboard/ranges/create/", {"name": f"Scarves{PAYLOAD}", "description": "", "is_public": "on"}
    )

    assert response.status_code == 200
    assert "HTML tags are not allowed" in response.content.decode()
    assert not Range.objects.exists()


def test_a_range_name_with_markup_stored_before_is_escaped_in_the_dashboards_offer_pages(superuser_client):
    offer_range = Range.objects.create(name="Scarves")
    Range.objects.filter(pk=offer_range.pk).update(name=f"Scarves{PAYLOAD}")  # stored before names were checked
    offer = offer_on(offer_range)

    for url in ("/shop/dashboard/offers/", f"/shop/dashboard/offers/{offer.pk}/"):
        page = superuser_client.get(url).content.decode()
        assert PAYLOAD not in page, url
        assert "Scarves&lt;img src=x onerror=alert(document.cookie)&gt;" in page, url


def test_plain_text_names_refuse_markup_on_any_save_but_keep_a_lone_less_than_sign():
    with pytest.raises(ValidationError):
        Range.objects.create(name=f"Sale{PAYLOAD}")
    with pytest.raises(ValidationError):
        Category.add_root(name="<script>alert(1)</script>")
    product = product_with_stock(title="Cable")
    product.title = "Cable <b>long</b>"
    with pytest.raises(ValidationError):
        product.save()

    assert Range.objects.create(name="Screens < 24 inch").name == "Screens < 24 inch"


def test_a_categorys_long_description_is_cleaned_on_save():
    category = Category.add_root(
        name="Scarves", long_description=f"<p>Warm <em>wool</em></p>{PAYLOAD}<script>x()</script>"
    )

    stored = Category.objects.get(pk=category.pk).long_description
    assert stored.startswith("<p>Warm <em>wool</em></p>")
    assert "onerror" not in stored and "<script" not in stored


def test_the_clean_command_strips_markup_from_names_stored_before():
    offer_range = Range.objects.create(name="Scarves")
    Range.objects.filter(pk=offer_range.pk).update(name=f"Scarves{PAYLOAD}")

    call_command("rich_text_clean", verbosity=0)

    assert Range.objects.get(pk=offer_range.pk).name == "Scarves"
