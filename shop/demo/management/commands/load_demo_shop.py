from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cms.bootstrap import cms_bootstrap
from cms.category_pages import category_pages_sync_all
from cms.demo_content import demo_pages_ensure, demo_product_content_ensure
from shop.accounts.roles import MERCHANDISERS
from shop.bootstrap import reference_data_ensure
from shop.demo.accounts import DEMO_PASSWORD, demo_accounts_ensure
from shop.demo.catalogue import Category, Product, demo_catalogue_ensure, demo_upc
from shop.demo.images import draw_picture


class Command(BaseCommand):
    help = "Load the demo shop (catalogue, pages, accounts). Idempotent: reruns add only what is missing."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=500, help="How many products (default 500).")
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Skip rebuilding the search index and making thumbnails (benchmark loads).",
        )

    def handle(self, *args, products, no_index, **options):
        if products < 1:
            raise CommandError(f"--products must be at least 1 (got {products}).")
        data = reference_data_ensure()
        home = cms_bootstrap(
            merchandisers=data["groups"][MERCHANDISERS], publish_legal_pages=True
        )  # the demo shows them

        with tqdm(total=products, unit="product", desc="Catalogue", disable=options["verbosity"] == 0) as bar:
            result = demo_catalogue_ensure(products=products, progress=bar.update)

        category_pages_sync_all()  # the category signals made them; this repairs any left behind
        featured = list(Product.objects.filter(upc__in=[demo_upc(i) for i in range(min(products, 8))]).order_by("upc"))
        demo_pages_ensure(
            home=home,
            featured_products=featured,
            top_categories=Category.get_root_nodes(),
            hero_picture=draw_picture(seed=99, size=1200),
        )
        demo_product_content_ensure(products=featured[:4], pictures=[draw_picture(seed=s) for s in (101, 102, 103)])
        accounts = demo_accounts_ensure()

        if not no_index:
            call_command("rebuild_search_index", verbosity=options["verbosity"], stdout=self.stdout)
            call_command("make_thumbnails", verbosity=0)  # bulk-created images send no signal

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo shop ready: {result.created} products created, {result.existing} already there, "
                f"{Category.objects.count()} categories."
            )
        )
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email, role in accounts:
            self.stdout.write(f"  {email:28} {role}")
