"""Merchandisers' Wagtail content on Oscar's product page: live content shows, drafts and scheduled content
wait, the editor's preview shows the draft on the real page, and nothing in it can run a script."""

from datetime import timedelta

import dramatiq_crontab
import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.models import ProductContent
from cms.tasks import publish_scheduled
from tests.support.catalogue import page_of, parent_with_variants
from tests.support.checkout import product_with_stock
from tests.support.content import blocks_of_every_kind, picture, published_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def kettle():
    return product_with_stock(title="Copper kettle", price="59.00", stock=3)


def content_section(client, product):
    return page_of(client.get(product.get_absolute_url())).find(id="product_content")


def test_published_content_shows_below_oscars_description_with_every_kind_of_block(client, kettle):
    kettle.description = "<p>A kettle.</p>"
    kettle.save()
    published_content(kettle, blocks_of_every_kind(tag="kettle"))

    page = page_of(client.get(kettle.get_absolute_url()))
    section = page.find(id="product_content")

    assert page.find(id="product_description").find_next(id="product_content") is section
    assert "The story of kettle." in section.get_text()
    gallery = section.select(".product-content-gallery img")
    assert len(gallery) == 2 and all(img["src"].startswith("/media/images/") for img in gallery)
    assert "kettle in the kitchen" in section.select_one(".product-content-gallery figcaption").get_text()
    assert section.select_one(".product-content-video iframe")["src"] == "https://www.youtube-nocookie.com/embed/kettle"
    assert "Unboxing kettle" in section.select_one(".product-content-video").get_text()
    assert section.select_one(".product-content-faq summary").get_text(strip=True) == "Does kettle fold?"
    download = section.select_one(".product-content-downloads a")
    assert download.get_text(strip=True) == "Manual" and download["href"].startswith("/documents/")
    assert client.get(download["href"]).status_code == 200
    # Oscar's buy box is untouched: the price and stock are Oscar's.
    assert "€59.00" in page.select_one(".product_main .price_color").get_text()


def test_a_product_without_content_has_no_content_section(client, kettle):
    assert content_section(client, kettle) is None


def test_a_draft_never_shows_to_shoppers(client, kettle):
    draft = ProductContent(product=kettle, body=[("text", "<p>Not yet.</p>")], live=False)
    draft.save()
    draft.save_revision()

    assert content_section(client, kettle) is None


def test_a_draft_of_live_content_leaves_the_live_version_on_the_page(client, kettle):
    content = published_content(kettle, [("text", "<p>Live words.</p>")])
    content.body = [("text", "<p>Draft words.</p>")]
    content.save_revision()  # what "Save draft" does to live content: a revision, the row untouched

    text = content_section(client, kettle).get_text()
    assert "Live words." in text and "Draft words." not in text


def test_a_variant_shows_its_parents_content(client):
    parent = parent_with_variants(title="Scarf", variants=[("18.50", 3)])
    published_content(parent, [("text", "<p>Knitted in Shetland.</p>")])

    assert "Knitted in Shetland." in content_section(client, parent.children.get()).get_text()


def test_scheduled_content_goes_live_when_the_scheduler_runs_publish_scheduled_after_its_time(
    client, kettle, monkeypatch, django_capture_on_commit_callbacks
):
    """The real command against a moved clock: Wagtail compares go_live_at with timezone.now(), in the
    publishing call and in the command, so moving that one clock moves both."""
    content = ProductContent(product=kettle, body=[("text", "<p>Autumn story.</p>")], live=False)
    content.save()
    content.go_live_at = timezone.now() + timedelta(hours=1)
    content.save_revision().publish()  # Wagtail schedules it instead

    assert content_section(client, kettle) is None
    call_command("publish_scheduled", verbosity=0)  # not due yet
    assert content_section(client, kettle) is None

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cached page lets go
        publish_scheduled.fn()  # what the scheduler sends every minute: Wagtail's command

    assert "Autumn story." in content_section(client, kettle).get_text()
    assert "publish_scheduled" in {job.name for job in dramatiq_crontab.scheduler.get_jobs()}


def test_expired_content_leaves_the_page_when_publish_scheduled_runs(
    client, kettle, monkeypatch, django_capture_on_commit_callbacks
):
    content = published_content(kettle, [("text", "<p>Summer sale story.</p>")])
    ProductContent.objects.filter(pk=content.pk).update(expire_at=timezone.now() + timedelta(hours=1))
    assert content_section(client, kettle) is not None

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", verbosity=0)

    assert content_section(client, kettle) is None


def test_rich_text_stored_by_any_path_cannot_run_a_script(client, kettle):
    evil = (
        '<p>Hi<script>alert("text")</script></p><img src="x" onerror="alert(1)">'
        '<a href="javascript:alert(2)">click</a><a href="https://example.com" onclick="alert(3)">ok</a>'
    )
    published_content(
        kettle,
        [
            ("text", evil),
            ("faq", {"title": "<script>alert(4)</script>", "questions": [{"question": "Q?", "answer": evil}]}),
            ("gallery", {"title": "", "images": [{"image": picture("x"), "caption": "<script>alert(5)</script>"}]}),
        ],
    )

    html = str(content_section(client, kettle))

    assert "<script" not in html and "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert 'href="https://example.com"' in html and "Hi" in html
    assert "&lt;script&gt;alert(4)" in html and "&lt;script&gt;alert(5)" in html  # plain fields are escaped
