"""Rebuild the product search index with a progress bar: after an import, a change of the index's fields, or
a switch of search engine."""

from django.core.management.base import BaseCommand, CommandError
from haystack import connections
from oscar.core.loading import get_model
from tqdm import tqdm

Product = get_model("catalogue", "Product")


class Command(BaseCommand):
    help = (
        "Index every browsable product again, in batches, with a progress bar, and drop hidden products from the "
        "index. Search keeps answering meanwhile; --clear empties the product index first (entries left behind "
        "by deletes that bypassed Django's signals go too, but searches find less until the rebuild ends)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000, help="Products per batch (default 2000).")
        parser.add_argument("--clear", action="store_true", help="Empty the product index before indexing.")

    def handle(self, *args, batch_size, clear, **options):
        if batch_size < 1:
            raise CommandError(f"--batch-size must be at least 1 (got {batch_size}).")
        backend = connections["default"].get_backend()
        index = connections["default"].get_unified_index().get_index(Product)
        if clear:
            backend.clear(models=[Product])
        browsable = list(index.index_queryset().order_by("pk").values_list("pk", flat=True))
        quiet = options["verbosity"] < 1
        with tqdm(total=len(browsable), unit="product", desc="Indexing", disable=quiet) as bar:
            for start in range(0, len(browsable), batch_size):
                batch = browsable[start : start + batch_size]
                backend.update(index, list(index.index_queryset().filter(pk__in=batch)))
                bar.update(len(batch))
        hidden = Product.objects.exclude(pk__in=index.index_queryset().values("pk")).values_list("pk", flat=True)
        for pk in hidden.iterator():
            backend.remove(f"catalogue.product.{pk}")
        self.stdout.write(f"{len(browsable)} products indexed, {hidden.count()} hidden or variant products left out.")
