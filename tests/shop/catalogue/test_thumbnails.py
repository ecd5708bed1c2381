"""Product thumbnails are made when the image is saved, so no shopper waits for them on first view."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from oscar.core.loading import get_model

from shop.catalogue.thumbnails import STOREFRONT_SIZES
from shop.demo.images import draw_picture
from shop.outbox.models import OutboxMessage
from tests.support.checkout import product_with_stock
from tests.support.tasks import run_outbox

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")


def thumbnail_files(settings) -> set[Path]:
    folder = Path(settings.MEDIA_ROOT) / "cache"
    return {path for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


def test_saving_an_image_queues_its_thumbnails_and_the_page_finds_them_ready(client, settings):
    lamp = product_with_stock(title="Lamp")
    image = ProductImage(product=lamp, display_order=0)
    image.original.save("lamp.jpg", ContentFile(draw_picture(seed=3, size=800)), save=False)
    image.save()

    assert OutboxMessage.objects.filter(actor_name="make_product_thumbnails", args=[image.pk]).exists()
    assert thumbnail_files(settings) == set()

    run_outbox()
    made = thumbnail_files(settings)
    assert len(made) == len(STOREFRONT_SIZES)

    page = client.get(lamp.get_absolute_url()).content.decode()
    assert settings.MEDIA_URL + "cache/" in page  # the page shows a thumbnail
    assert thumbnail_files(settings) == made  # the pages used the ready thumbnails, made none


def test_the_command_makes_thumbnails_for_images_saved_without_signals(settings):
    lamp = product_with_stock(title="Lamp")
    image = ProductImage(product=lamp, display_order=0)
    image.original.save("lamp.jpg", ContentFile(draw_picture(seed=4, size=600)), save=False)
    ProductImage.objects.bulk_create([image])  # as the demo loader and imports do: no signal, no task

    call_command("make_thumbnails", verbosity=0)

    assert len(thumbnail_files(settings)) == len(STOREFRONT_SIZES)
