from django.conf import settings
from django.core.management.base import BaseCommand

from cms.bootstrap import cms_bootstrap, legal_pages_unpublished
from shop.accounts.roles import MERCHANDISERS
from shop.bootstrap import reference_data_ensure


class Command(BaseCommand):
    help = (
        "Create the reference data a shop needs (countries, groups, delivery methods, site, home and legal pages). "
        "Safe to rerun."
    )

    def handle(self, *args, **options):
        data = reference_data_ensure()
        # Legal pages start as drafts with a placeholder text, except in `make run` (SHOP_PUBLISH_PLACEHOLDER_PAGES).
        home = cms_bootstrap(
            merchandisers=data["groups"][MERCHANDISERS], publish_legal_pages=settings.SHOP_PUBLISH_PLACEHOLDER_PAGES
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Shop ready: {data['shipping_countries']} shipping countries, "
                f"{data['new_shipping_methods']} new delivery methods, groups {', '.join(data['groups'])}, "
                f"site {data['site'].domain}, home page '{home.title}'."
            )
        )
        drafts = [page.title for page in legal_pages_unpublished(home)]
        if drafts:
            self.stdout.write(
                self.style.WARNING(f"Not shown until written and published at /cms/ (drafts): {', '.join(drafts)}.")
            )
