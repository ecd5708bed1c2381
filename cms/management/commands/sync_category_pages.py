from django.core.management.base import BaseCommand
from tqdm import tqdm

from cms.category_pages import category_pages_pending, category_pages_sync_all


class Command(BaseCommand):
    help = (
        "Give every Oscar category its Wagtail category page, in step with the category's name, slug, place "
        "and visibility, and unpublish pages whose category is gone. Safe to run at any time."
    )

    def handle(self, *args, **options):
        quiet = options["verbosity"] == 0
        with tqdm(total=category_pages_pending(), unit="category", desc="Category pages", disable=quiet) as bar:
            report = category_pages_sync_all(progress=bar.update)
        style = self.style.ERROR if report.counts["failed"] else self.style.SUCCESS
        self.stdout.write(style(f"Category pages: {report}."))
        if report.counts["skipped"]:
            self.stdout.write("Skipped categories wait for a home page: run load_demo_shop or the bootstrap first.")
