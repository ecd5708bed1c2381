"""`make run`'s settings on PostgreSQL with the production search engine, for catalogue benchmarks
(`bench/catalogue.py`, `bench/load_demo.sh`): DATABASE_URL names the benchmark database."""

from shop.settings.dev import *  # noqa: F403
from shop.settings.dev import POSTGRES_SEARCH

DEBUG = False
ALLOWED_HOSTS = ["*"]
HAYSTACK_CONNECTIONS = {"default": POSTGRES_SEARCH}
SHOP_IN_PROCESS_WORKER = False
SHOP_MOLLIE_SIMULATOR = False
SHOP_CARRIER_SIMULATOR = False
SHOP_SEARCH_RATE = 1_000_000  # every measured request comes from one client
