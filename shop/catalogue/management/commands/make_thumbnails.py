"""Make the storefront's thumbnails of every product image (after an import, or a new size in templates)."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from shop.catalogue.thumbnails import ProductImage, thumbnails_make


class Command(BaseCommand):
    help = "Make every storefront thumbnail of every product image (sizes already made are skipped by sorl)."

    def handle(self, *args, **options):
        # Products may share a picture (the demo's do): each file is done once.
        pictures = ProductImage.objects.exclude(original="").order_by("original").values_list("original", flat=True)
        pictures = pictures.distinct()
        quiet = options["verbosity"] < 1
        made = sum(thumbnails_make(name) for name in tqdm(pictures.iterator(), total=pictures.count(), disable=quiet))
        self.stdout.write(f"{made} thumbnails checked or made for {pictures.count()} pictures.")
