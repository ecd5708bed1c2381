"""Make the storefront's thumbnails of every product image (after an import, or a new size in templates)."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from shop.catalogue.thumbnails import ProductImage, product_image_thumbnails_make


class Command(BaseCommand):
    help = "Make every storefront thumbnail of every product image (sizes already made are skipped by sorl)."

    def handle(self, *args, **options):
        images = ProductImage.objects.order_by("pk").values_list("pk", flat=True)
        made = 0
        for image_id in tqdm(images.iterator(), total=images.count(), unit="image", disable=options["verbosity"] < 1):
            made += product_image_thumbnails_make(image_id=image_id)
        self.stdout.write(f"{made} thumbnails checked or made for {images.count()} images.")
