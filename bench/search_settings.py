"""`make run`'s settings without the in-process worker and the simulators, for catalogue benchmarks
(`bench/catalogue.py`, `bench/load_demo.sh`): DATABASE_URL names the benchmark database."""

from shop.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
SHOP_IN_PROCESS_WORKER = False
SHOP_MOLLIE_SIMULATOR = False
SHOP_CARRIER_SIMULATOR = False
SHOP_SEARCH_RATE = 1_000_000  # every measured request comes from one client
