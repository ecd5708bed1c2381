#!/usr/bin/env python
"""Catalogue pages at scale: latency, sequential throughput and SQL queries per page on PostgreSQL.

    bench/load_demo.sh 100000                  # once: 100k demo products in database shop_bench
    .venv/bin/python bench/catalogue.py        # builds the PostgreSQL search index if it is missing, then measures

Each page kind is requested --requests times (after a warm-up) through Django's test client in this process,
with the production search engine (bench/search_settings.py): the figures are the shop's own time per page
(no HTTP server, no network), and queries per page must not depend on the catalogue's size.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="shop_bench", help="PostgreSQL database (default %(default)s)")
    parser.add_argument("--requests", type=int, default=40, help="requests per page kind (default %(default)s)")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def setup(database: str) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.search_settings"
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
    import django

    django.setup()


def index_ensure(products: int) -> None:
    """The PostgreSQL search index and the thumbnails, as a live shop has them (load_demo.sh skips both)."""
    from django.core.management import call_command

    from shop.search.models import SearchDocument

    call_command("make_thumbnails", verbosity=0)
    indexed = SearchDocument.objects.count()
    if indexed < products:
        print(f"indexing {products} products ({indexed} indexed)…", flush=True)
        started = time.perf_counter()
        call_command("rebuild_search_index")
        print(f"rebuild_search_index: {time.perf_counter() - started:.0f} s", flush=True)


def page_urls(rng: random.Random) -> dict:
    """Page kind → a function giving the next URL to ask for."""
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    products = list(Product.objects.browsable().values_list("pk", "slug", "title")[:5000])
    leaves = [c for c in Category.objects.filter(depth=3, cms_page__live=True).select_related("cms_page")]
    words = sorted({word for _, _, title in products for word in title.split() if word.isalpha()})

    def typo(word: str) -> str:
        return word[:3] + ("x" if word[3:4] != "x" else "y") + word[4:]

    tops = [c for c in Category.objects.filter(depth=1, cms_page__live=True).select_related("cms_page")]
    return {
        "catalogue (24 cards)": lambda: f"/shop/catalogue/?page={rng.randint(1, 50)}",
        "category page (a leaf)": lambda: rng.choice(leaves).cms_page.url,
        "category page (top)": lambda: rng.choice(tops).cms_page.url,
        "category, filtered+sorted": lambda: (
            rng.choice(leaves).cms_page.url + "?selected_facets=availability:In+stock&sort_by=price-asc"
        ),
        "product page": lambda: "/shop/catalogue/{1}_{0}/".format(*rng.choice(products)),
        "search": lambda: f"/shop/search/?q={rng.choice(words)}",
        "search, one typo": lambda: f"/shop/search/?q={typo(rng.choice([w for w in words if len(w) > 4]))}",
        "autocomplete": lambda: f"/shop/search/autocomplete/?q={rng.choice(words)[:3]}",
    }


def cached_urls() -> dict:
    """Page kind → one URL asked again and again: what anonymous visitors get from the page cache."""
    from oscar.core.loading import get_model

    leaf = get_model("catalogue", "Category").objects.filter(depth=3, cms_page__live=True).first()
    product = get_model("catalogue", "Product").objects.browsable().order_by("pk").first()
    return {
        "category page, cached": lambda: leaf.cms_page.url,
        "product page, cached": lambda: product.get_absolute_url(),
    }


def measure(client, next_url, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get(next_url(), follow=True)  # warm caches
    times, queries = [], set()
    for _ in range(requests):
        url = next_url()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, follow=True)
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries.add(len(captured.captured_queries))
    return {
        "p50_ms": statistics.median(times) * 1000,
        "p95_ms": sorted(times)[int(len(times) * 0.95) - 1] * 1000,
        "per_s": len(times) / sum(times),
        "queries": sorted(queries),
    }


def report(kind: str, row: dict) -> None:
    queries = row["queries"]
    span = f"{queries[0]}–{queries[-1]}" if len(queries) > 1 else str(queries[0])
    print(f"{kind:26} {row['p50_ms']:8.0f} {row['p95_ms']:8.0f} {row['per_s']:8.1f}  {span}", flush=True)


def main() -> int:
    args = parse_args()
    setup(args.database)
    from django.test import Client
    from oscar.core.loading import get_model

    products = get_model("catalogue", "Product").objects.browsable().count()
    index_ensure(products)
    from django.conf import settings

    client = Client()
    print(f"\n{products} products, {args.requests} requests per page kind\n")
    print(f"{'page':26} {'p50 ms':>8} {'p95 ms':>8} {'pages/s':>8}  queries")
    page_cache = settings.SHOP_PAGE_CACHE_SECONDS or 3600
    settings.SHOP_PAGE_CACHE_SECONDS = 0  # what each page costs to render
    for kind, next_url in page_urls(random.Random(args.seed)).items():
        report(kind, measure(client, next_url, args.requests))
    settings.SHOP_PAGE_CACHE_SECONDS = page_cache  # what anonymous visitors get again and again
    for kind, next_url in cached_urls().items():
        report(kind, measure(client, next_url, args.requests))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
