"""What editors may upload, and how documents reach shoppers: only listed types, only through Wagtail's view."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from shop.accounts.roles import MERCHANDISERS
from shop.demo.images import draw_picture
from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


@pytest.fixture
def editor():
    call_command("bootstrap_shop", verbosity=0)
    user = user_with_login("editor@example.com", totp=True)
    user.groups.add(Group.objects.get(name=MERCHANDISERS))
    browser = Client()
    login(browser, "editor@example.com")
    return browser


def upload_document(browser, name: str, content: bytes):
    return browser.post(
        "/cms/documents/add/",
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": Collection.get_first_root_node().pk},
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("offer.html", b"<script>alert(document.cookie)</script>"),
        ("logo.svg", SVG),
        ("setup.exe", b"MZ\x90\x00"),
        ("prices.xlsm", b"PK\x03\x04"),
        ("drivers.zip", b"PK\x03\x04"),
    ],
)
def test_a_type_a_browser_runs_or_a_program_is_refused(editor, name, content):
    response = upload_document(editor, name, content)

    assert response.status_code == 200  # the form again, with the error
    assert "File extension" in response.content.decode() and "is not allowed" in response.content.decode()
    assert not Document.objects.exists()


def test_a_pdf_is_accepted_and_served_only_through_wagtails_view(editor):
    assert upload_document(editor, "manual.pdf", b"%PDF-1.4 a manual").status_code == 302
    manual = Document.objects.get()

    assert manual.url == f"/documents/{manual.pk}/manual.pdf"  # the view, never the file's MEDIA_URL
    response = Client().get(manual.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")  # a PDF opens in the browser's viewer


def test_a_spreadsheet_downloads_rather_than_opens(editor):
    assert upload_document(editor, "prices.csv", b"sku,price\nA,1.00\n").status_code == 302

    response = Client().get(Document.objects.get().url)

    assert response["Content-Disposition"].startswith("attachment")


def test_an_svg_image_is_refused_and_a_photo_accepted(editor):
    root = Collection.get_first_root_node().pk
    svg = editor.post(
        "/cms/images/add/", {"title": "Logo", "file": SimpleUploadedFile("logo.svg", SVG), "collection": root}
    )
    photo = editor.post(
        "/cms/images/add/",
        {"title": "Kettle", "file": SimpleUploadedFile("kettle.jpg", draw_picture(1, size=50)), "collection": root},
    )

    assert svg.status_code == 200 and photo.status_code == 302
    assert list(Image.objects.values_list("title", flat=True)) == ["Kettle"]
