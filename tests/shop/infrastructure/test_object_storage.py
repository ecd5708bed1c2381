"""Media and private files on S3-compatible object storage (MEDIA_STORAGE=s3), against moto's S3 server on
127.0.0.1 through the real boto3 and django-storages: media in the public bucket, fetched by browsers over HTTP;
receipts and Wagtail documents in the private bucket, reachable only through the shop's views."""

import re
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from oscar.core.loading import get_model
from wagtail.models import Collection, CollectionViewRestriction

from shop.bootstrap import reference_data_ensure
from shop.demo.images import draw_picture
from shop.receipts.services import receipt_issue
from tests.support.checkout import checkout_to_preview, pay_at_mollie, place_order, product_with_stock
from tests.support.content import document, picture
from tests.support.tasks import run_outbox
from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")
Order = get_model("order", "Order")
JPEG = b"\xff\xd8\xff"


def fetch(url: str) -> tuple[int, str, bytes]:
    """A browser's anonymous GET: no signature, no credentials."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # nosec B310  # a loopback http:// URL
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def test_a_product_image_and_its_storefront_thumbnail_are_in_the_public_bucket_and_load(client, object_storage):
    server, objects = object_storage
    reference_data_ensure()  # bootstrap_shop: Oscar's missing-image picture, for products without images
    lamp = product_with_stock(title="Lamp")
    image = ProductImage(product=lamp, display_order=0)
    image.original.save("lamp.jpg", ContentFile(draw_picture(seed=3, size=800)), save=False)
    image.save()
    run_outbox()  # the thumbnails task

    response = client.get(lamp.get_absolute_url())
    page = response.content.decode()
    thumbnails = set(re.findall(re.escape(objects.public_base_url()) + r"cache/[^\"' ]+", page))

    assert thumbnails, "the product page shows a thumbnail from the media bucket"
    image_sources = re.search(r"img-src ([^;]*)", response["Content-Security-Policy"])[1].split()
    assert objects.endpoint_url in image_sources  # the browser may load it
    media = server.keys(objects.media_bucket)
    assert {image.original.name, "image_not_found.jpg"} <= media
    for url in thumbnails:
        assert url.removeprefix(objects.public_base_url()) in media
        status, content_type, body = fetch(url)
        assert (status, content_type, body[:3]) == (200, "image/jpeg", JPEG)
    assert server.keys(objects.private_bucket) == set()


def test_a_wagtail_rendition_is_in_the_public_bucket_and_loads(object_storage):
    server, objects = object_storage
    photo = picture("Kitchen")

    rendition = photo.get_rendition("fill-120x80")

    assert rendition.url.startswith(objects.public_base_url())
    assert {photo.file.name, rendition.file.name} <= server.keys(objects.media_bucket)
    status, content_type, body = fetch(rendition.url)
    assert (status, content_type) == (200, "image/jpeg") and body[:3] == JPEG


@pytest.fixture
def paid_order_receipt(client, mollie, object_storage):
    reference_data_ensure()
    user_with_login("owner@example.com")
    login(client, "owner@example.com")
    checkout_to_preview(client, product_with_stock(title="Kettle", price="39.95"), guest_email=None)
    client.get(pay_at_mollie(place_order(client)["Location"]))  # the return page learns "paid"
    return receipt_issue(order_id=Order.objects.get().pk)


def test_a_receipt_is_in_the_private_bucket_and_only_its_owner_downloads_it(client, paid_order_receipt, object_storage):
    server, objects = object_storage
    receipt = paid_order_receipt
    stored = server.body(objects.private_bucket, receipt.pdf.name)
    url = f"/shop/receipts/{receipt.number}/"
    other = Client()
    user_with_login("nosy@example.com")
    login(other, "nosy@example.com")

    response = client.get(url)

    assert stored.startswith(b"%PDF")
    assert receipt.pdf.name not in server.keys(objects.media_bucket)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == stored
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 404
    with pytest.raises(NotImplementedError):
        receipt.pdf.url  # no URL, signed or not, is ever made for a private file  # noqa: B018
    status, _, _ = fetch(f"{objects.endpoint_url}/{objects.private_bucket}/{receipt.pdf.name}")
    assert status == 403


def test_a_wagtail_document_is_in_the_private_bucket_and_served_after_wagtails_privacy_check(object_storage):
    server, objects = object_storage
    manual = document("Manual")
    restricted = Collection.get_first_root_node().add_child(name="Dealers only")
    CollectionViewRestriction.objects.create(collection=restricted, restriction_type=CollectionViewRestriction.LOGIN)
    price_list = document("Prices")
    price_list.collection = restricted
    price_list.save()
    user_with_login("dealer@example.com")
    dealer = Client()
    login(dealer, "dealer@example.com")

    assert manual.file.name.startswith("documents/")
    assert {manual.file.name, price_list.file.name} <= server.keys(objects.private_bucket)
    assert not server.keys(objects.media_bucket) & {manual.file.name, price_list.file.name}
    public = Client().get(manual.url)
    assert public.status_code == 200
    assert b"".join(public.streaming_content) == b"%PDF-1.4 a manual"
    assert public["Content-Security-Policy"] == "default-src 'none'"  # Wagtail's view, not the bucket
    assert Client().get(price_list.url).status_code == 302  # to the login page
    assert b"".join(dealer.get(price_list.url).streaming_content) == b"%PDF-1.4 a manual"
    for name in (manual.file.name, price_list.file.name):
        assert fetch(f"{objects.endpoint_url}/{objects.private_bucket}/{name}")[0] == 403
