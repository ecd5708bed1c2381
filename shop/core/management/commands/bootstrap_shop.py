from django.core.management.base import BaseCommand

from cms.bootstrap import cms_bootstrap
from shop.core.bootstrap import MERCHANDISERS, reference_data_ensure


class Command(BaseCommand):
    help = (
        "Create the reference data a shop needs (countries, groups, delivery methods, site, home and legal pages). "
        "Safe to rerun."
    )

    def handle(self, *args, **options):
        data = reference_data_ensure()
        home = cms_bootstrap(merchandisers=data["groups"][MERCHANDISERS])
        self.stdout.write(
            self.style.SUCCESS(
                f"Shop ready: {data['shipping_countries']} shipping countries, "
                f"{data['new_shipping_methods']} new delivery methods, groups {', '.join(data['groups'])}, "
                f"site {data['site'].domain}, home page '{home.title}'."
            )
        )
