"""Product thumbnails are made when an image is saved (a task), not by the first shopper who views it.

The sizes are those the storefront's templates ask for through `{% oscar_thumbnail %}`, with the same
options, so the template finds each one ready in sorl's key-value store.
"""

import logging

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files import File
from django.core.files.storage import default_storage
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer

logger = logging.getLogger(__name__)

ProductImage = get_model("catalogue", "ProductImage")

# (size, options): product cards, the product gallery and its thumbnails, basket and checkout lines.
STOREFRONT_SIZES = (
    ("x155", {"upscale": False}),
    ("440x400", {"upscale": False}),
    ("100x100", {"upscale": False}),
    ("70x70", {"upscale": False}),
    ("200x200", {"upscale": False}),
)


def product_image_thumbnails_make(*, image_id: int) -> int:
    """Make every storefront size of one product image; returns how many were made (0 if it is gone)."""
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None or not image.original:
        return 0
    return thumbnails_make(image.original)


def thumbnails_make(source) -> int:
    """Every storefront size of one picture (a stored file or its name); sorl skips sizes it already has."""
    thumbnailer = get_thumbnailer()
    for size, options in STOREFRONT_SIZES:
        thumbnailer.generate_thumbnail(source, size=size, **options)
    return len(STOREFRONT_SIZES)


def missing_image_ensure() -> bool:
    """Oscar shows OSCAR_MISSING_IMAGE_URL for a product without images, and sorl reads it from the default
    storage. Oscar symlinks it from its static files into MEDIA_ROOT on its own; object storage (MEDIA_STORAGE=s3)
    needs a copy in the media bucket. True if one was stored now."""
    name = settings.OSCAR_MISSING_IMAGE_URL
    if default_storage.exists(name):
        return False
    with open(finders.find(f"oscar/img/{name}"), "rb") as picture:
        default_storage.save(name, File(picture))
    return True
