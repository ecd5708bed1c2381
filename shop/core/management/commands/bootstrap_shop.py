from django.core.management.base import BaseCommand

from cms.bootstrap import cms_bootstrap
from shop.core.bootstrap import MERCHANDISERS, countries_ensure, django_site_ensure, groups_ensure


class Command(BaseCommand):
    help = "Create the reference data a shop needs (countries, groups, site, home and legal pages). Safe to rerun."

    def handle(self, *args, **options):
        shipping = countries_ensure()
        groups = groups_ensure()
        site = django_site_ensure()
        home = cms_bootstrap(merchandisers=groups[MERCHANDISERS])
        self.stdout.write(
            self.style.SUCCESS(
                f"Shop ready: {shipping} shipping countries, groups {', '.join(groups)}, "
                f"site {site.domain}, home page '{home.title}'."
            )
        )
