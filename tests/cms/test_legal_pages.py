"""The legal pages bootstrap_shop makes hold a placeholder ("Replace this text…"): outside dev they are drafts,
so a live shop never serves the placeholder as its terms; `make run` (SHOP_PUBLISH_PLACEHOLDER_PAGES, dev.py)
and the demo shop publish them."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from cms.bootstrap import LEGAL_PAGES
from cms.models import ContentPage

pytestmark = pytest.mark.django_db

SLUGS = [slug for slug, _title, _intro in LEGAL_PAGES]
PLACEHOLDER = "Replace this text with your own"


def bootstrap() -> str:
    out = io.StringIO()
    call_command("bootstrap_shop", stdout=out)
    return out.getvalue()


def test_outside_dev_the_legal_pages_are_drafts_nobody_can_read(settings):
    assert settings.SHOP_PUBLISH_PLACEHOLDER_PAGES is False  # the test settings, as production

    out = bootstrap()

    pages = ContentPage.objects.filter(slug__in=SLUGS)
    assert sorted(page.slug for page in pages) == sorted(SLUGS)
    assert not any(page.live for page in pages)
    assert all(page.get_latest_revision() is not None for page in pages)  # a draft for editors to finish
    assert "Not shown until written and published at /cms/ (drafts): Terms and conditions" in out
    visitor = Client()
    for slug in SLUGS:
        assert visitor.get(f"/{slug}/").status_code == 404
    home = visitor.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert PLACEHOLDER not in html and 'href="/terms/"' not in html  # the footer links live pages only
    assert "Find your order" in html


def test_in_dev_the_legal_pages_are_published_with_their_placeholder(settings):
    settings.SHOP_PUBLISH_PLACEHOLDER_PAGES = True

    out = bootstrap()

    assert all(page.live for page in ContentPage.objects.filter(slug__in=SLUGS))
    assert "Not shown until" not in out
    visitor = Client()
    terms = visitor.get("/terms/")
    assert terms.status_code == 200 and PLACEHOLDER in terms.content.decode()
    assert 'href="/privacy/"' in visitor.get("/").content.decode()


def test_a_rerun_outside_dev_unpublishes_placeholders_left_live_and_keeps_written_pages(settings):
    settings.SHOP_PUBLISH_PLACEHOLDER_PAGES = True
    bootstrap()  # an earlier set-up made them live
    terms = ContentPage.objects.get(slug="terms")
    terms.body = [("paragraph", "<p>Our own terms.</p>")]
    terms.save_revision().publish()
    settings.SHOP_PUBLISH_PLACEHOLDER_PAGES = False

    bootstrap()

    live = set(ContentPage.objects.filter(slug__in=SLUGS, live=True).values_list("slug", flat=True))
    assert live == {"terms"}
    assert "Our own terms." in Client().get("/terms/").content.decode()
    assert Client().get("/privacy/").status_code == 404
