"""A merchandiser writes product content in Wagtail's admin: chooses the product, saves drafts, previews them
on the real product page, publishes; finds content by product title or code."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import ProductContent
from cms.product_blocks import ANSWER_FEATURES, TEXT_FEATURES
from shop.accounts.roles import MERCHANDISERS
from tests.support.catalogue import page_of
from tests.support.checkout import product_with_stock
from tests.support.content import published_content
from tests.support.users import login, user_with_login

ProductRecord = get_model("analytics", "ProductRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    call_command("bootstrap_shop", verbosity=0)
    user = user_with_login("editor@example.com", totp=True)
    user.groups.add(Group.objects.get(name=MERCHANDISERS))
    browser = Client()
    login(browser, "editor@example.com")
    return browser


@pytest.fixture
def kettle():
    product = product_with_stock(title="Copper kettle", price="59.00", stock=3)
    product.upc = "8712345000017"
    product.save()
    return product


def url(name: str, *args) -> str:
    return reverse(ProductContent.snippet_viewset.get_url_name(name), args=args)


def form(product, *, text: str, faq: tuple[str, str] | None = None, publish: bool = False) -> dict:
    blocks = [("text", rich_text(text, features=TEXT_FEATURES))]
    if faq:
        question, answer = faq
        item = {"question": question, "answer": rich_text(answer, features=ANSWER_FEATURES)}
        blocks.append(("faq", {"title": "FAQ", "questions": streamfield([("item", item)])}))
    data = nested_form_data({"product": product.pk, "body": streamfield(blocks)})
    if publish:
        data["action-publish"] = "action-publish"
    return data


def shopper_sees(product) -> str:
    section = page_of(Client().get(product.get_absolute_url())).find(id="product_content")
    return section.get_text(" ", strip=True) if section else ""


def test_a_merchandiser_writes_a_draft_then_publishes_it(editor, kettle, django_capture_on_commit_callbacks):
    assert "Choose a product" in editor.get(url("add")).content.decode()  # Oscar's products, in a chooser

    response = editor.post(url("add"), form(kettle, text="<p>Hand-beaten copper.</p>"))
    assert response.status_code == 302, response.content.decode()[:2000]
    content = ProductContent.objects.get(product=kettle)
    assert not content.live
    assert shopper_sees(kettle) == ""

    with django_capture_on_commit_callbacks(execute=True):  # the editor's request commits: cached pages let go
        response = editor.post(url("edit", content.pk), form(kettle, text="<p>Hand-beaten copper.</p>", publish=True))

    assert response.status_code == 302
    assert "Hand-beaten copper." in shopper_sees(kettle)


def test_a_draft_saved_over_live_content_waits_and_its_preview_shows_it_on_the_product_page(editor, kettle):
    content = published_content(kettle, [("text", "<p>Live words.</p>")])

    draft = form(kettle, text="<p>Draft words.</p>", faq=("Does it whistle?", "<p>Loudly.</p>"))
    assert editor.post(url("edit", content.pk), draft).status_code == 302
    assert "Live words." in shopper_sees(kettle) and "Draft words." not in shopper_sees(kettle)

    Client().get(f"/shop/visitor/?product={kettle.pk}")  # a shopper's browser records the visit
    views = ProductRecord.objects.get(product=kettle).num_views
    assert editor.post(url("preview_on_edit", content.pk), draft).json()["is_valid"]
    preview = page_of(editor.get(url("preview_on_edit", content.pk)))

    section = preview.find(id="product_content").get_text(" ", strip=True)
    assert "Draft words." in section and "Does it whistle?" in section and "Live words." not in section
    assert "€59.00" in preview.select_one(".product_main .price_color").get_text()  # Oscar's page around it
    assert ProductRecord.objects.get(product=kettle).num_views == views  # an editor's preview is no visit
    assert "Live words." in shopper_sees(kettle)


def test_a_product_has_one_content_at_most(editor, kettle):
    published_content(kettle, [("text", "<p>First.</p>")])

    response = editor.post(url("add"), form(kettle, text="<p>Second.</p>"))

    assert response.status_code == 200  # the form again, with the error
    assert ProductContent.objects.filter(product=kettle).count() == 1


def test_the_listing_finds_content_by_product_title_or_code(editor, kettle):
    published_content(kettle, [("text", "<p>Copper.</p>")])
    published_content(product_with_stock(title="Glass teapot"), [("text", "<p>Glass.</p>")])

    def found(query):
        html = editor.get(url("list_results"), {"q": query}).content.decode()
        return [title for title in ("Copper kettle", "Glass teapot") if title in html]

    assert found("kettle") == ["Copper kettle"]
    assert found("871234500") == ["Copper kettle"]
    assert found("teapot") == ["Glass teapot"]


def test_the_editor_keeps_only_safe_links(editor, kettle):
    text = '<p><a href="javascript:alert(1)">click</a> <a href="https://example.com">ok</a></p>'

    editor.post(url("add"), form(kettle, text=text, publish=True))

    stored = str(ProductContent.objects.get(product=kettle).body.raw_data)
    assert "javascript:" not in stored and "https://example.com" in stored


def test_a_merchandiser_gets_from_the_product_page_to_its_content(editor, kettle, client):
    add = page_of(editor.get(kettle.get_absolute_url())).select_one(".product-content-edit a")["href"]
    assert add == f"{url('add')}?product={kettle.pk}"
    assert page_of(editor.get(add)).find("input", attrs={"name": "product"})["value"] == str(kettle.pk)  # chosen

    content = published_content(kettle, [("text", "<p>Copper.</p>")])
    edit = page_of(editor.get(kettle.get_absolute_url())).select_one(".product-content-edit a")["href"]
    assert edit == url("edit", content.pk)
    assert page_of(client.get(kettle.get_absolute_url())).select_one(".product-content-edit") is None  # shoppers


def test_the_long_description_and_faq_blocks_preview_their_samples(editor):
    blocks = ProductContent._meta.get_field("body").stream_block.child_blocks

    def preview(name):
        response = editor.get("/cms/block-preview/", {"id": blocks[name].definition_prefix})
        assert response.status_code == 200
        return response.content.decode()

    assert "Made to last" in preview("text")
    assert "Is it dishwasher safe?" in preview("faq")
